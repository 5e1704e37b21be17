// Graph pulse: the model's computation as its stages in forward order (the
// engine's graph.ops), a column per block. Each full step event sends a pulse
// forward through the stages, back through them (backpropagation), then an
// optimizer flash. Every stage shows its shape (the numbers it produces for
// one position) and, with the scalar engine, the Value nodes it built; when
// "Follow a token" follows a position, each box shows that token's values
// (its gradients while the pulse goes back). Times are in the table.
// Selecting a stage (click, or the arrow keys and Enter on the focused
// diagram, or the table's buttons) shows what it computes, in microgpt's
// names, and opens "Follow a token" at that stage. The stages (only those the
// session's model has: a rung without attention has none of attention's),
// their blocks, shapes, formulas and texts come from the engine's description
// of the session's model (draw/model.js).
//
// The element publishes data-stages (how many), data-shapes (stage -> its
// shape), data-step (the event shown) and data-selected (the stage shown
// below the diagram).
import { createCanvas } from "../draw/canvas.js";
import { theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { createLegend } from "../draw/legend.js";
import { modelOf, shapeText } from "../draw/model.js";
import { OPTIMIZER, formatMs, layoutStages, paintStages, stripColours } from "../draw/stage-diagram.js";

const PULSE_MS = 900;
const reduceMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;
const WAITING = "Waiting for a step with full instrumentation.";
const TABLE_HEAD = ["stage", "kind", "forward ms", "backward ms", "Value nodes"];

// The stage-timing table: one row per op, its name a button that selects it.
function createTable(onSelect) {
  const head = element("tr", {}, ...TABLE_HEAD.map((text) => element("th", { scope: "col", textContent: text })));
  const tbody = element("tbody");
  // On a phone the table is wider than the panel: it scrolls sideways in its own box (a tab stop, for the keyboard).
  const box = element("div", { className: "table-scroll", tabIndex: 0, role: "region", "aria-label": "Stage timings" },
                      element("table", {}, element("thead", {}, head), tbody));
  const details = element("details", { className: "graph-table" }, element("summary", { textContent: "Stage timings (table)" }), box);
  const rows = new Map(); // stage name -> its four cells
  let names = "";
  return {
    details,
    build(ops) {
      if (ops.map((op) => op.name).join(" ") === names) return;
      names = ops.map((op) => op.name).join(" ");
      rows.clear();
      tbody.replaceChildren(...ops.map((op) => {
        const button = element("button", { type: "button", className: "link", textContent: op.name });
        button.addEventListener("click", () => onSelect(op.name));
        const cells = [0, 1, 2, 3].map(() => element("td"));
        cells[0].textContent = op.kind;
        rows.set(op.name, cells);
        return element("tr", { dataset: { stage: op.name } }, element("th", { scope: "row" }, button), ...cells);
      }));
    },
    fill(ops) {
      for (const op of ops) {
        const cells = rows.get(op.name);
        if (!cells) continue;
        cells[1].textContent = formatMs(op.forward_ms);
        cells[2].textContent = formatMs(op.backward_ms);
        cells[3].textContent = op.nodes === null ? "-" : String(op.nodes);
      }
    },
  };
}

function createDom(el) {
  const legend = createLegend([["forward", "forward pulse"], ["backward", "backward pulse"], ["optimizer", "optimizer step"],
                               ["values", "the followed token's values (its gradients going back)"]]);
  const surface = createCanvas(el, { height: 300 });
  const { canvas } = surface;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "group");
  canvas.setAttribute("aria-roledescription", "diagram");
  canvas.setAttribute("aria-label", "Model stages in forward order. Use the arrow keys to move and Enter to show what a stage computes.");
  const totals = element("p", { className: "graph-totals", textContent: WAITING });
  const info = {
    title: element("h3", { textContent: "Select a stage" }),
    formula: element("code", { className: "formula" }),
    text: element("p", { textContent: "Click a stage (or focus the diagram, move with the arrow keys, press Enter) to see what it computes." }),
    weights: element("p"),
    times: element("p"),
  };
  const infoBox = element("div", { className: "stage-info", "aria-live": "polite" }, ...Object.values(info));
  el.append(legend, canvas, totals, infoBox);
  return { surface, canvas, totals, info };
}

// A session's model as the graph draws it (draw/model.js: the engine's
// description): each stage by full name with its shape for one position, its
// matrices by name, its optimizer, and the stages as ops without times, shown
// before a full event.
function modelView(model) {
  const stages = model?.stages ?? [];
  return {
    stages: new Map(stages.map((stage) => [stage.name, stage])),
    matrices: new Map((model?.matrices ?? []).map((matrix) => [matrix.name, matrix])),
    shapes: new Map(stages.map((stage) => [stage.name, shapeText(stage)])),
    optimizer: model?.optimizer ?? null,
    skeleton: stages.map(({ name, kind }) => ({ name, kind, forward_ms: null, backward_ms: null, nodes: null })),
  };
}

// The session's optimizer as the diagram names it ("Adam", "SGD").
const optimizerName = (view) => view.optimizer?.label ?? "";

// Columns of ops for the diagram: consecutive ops of the same block and layer.
function columnsOf(view, ops) {
  const out = [];
  for (const op of ops) {
    const known = view.stages.get(op.name);
    const last = out[out.length - 1];
    const key = known ? `${known.block}${known.layer}` : last?.key ?? "output";
    if (!last || last.key !== key) {
      const block = known?.block ?? "output";
      const title = known?.layer === null || !known ? block : `layer ${known.layer} · ${block === "mlp" ? "MLP" : block}`;
      out.push({ key, title, stages: [] });
    }
    out[out.length - 1].stages.push({ name: op.name, label: known?.stage ?? op.name });
  }
  return out;
}

// What a stage computes, in the engine's words for this session's sizes.
function describe(view, name) {
  const { optimizer } = view;
  if (name === OPTIMIZER) return { formula: optimizer?.formula ?? "", text: optimizer?.help ?? "", weights: [] };
  const known = view.stages.get(name);
  if (!known) return { formula: name, text: "A stage of the model.", weights: [] };
  const weights = known.reads.map((matrix) => {
    const [rows, cols] = view.matrices.get(matrix).shape;
    return `state_dict['${matrix}']: ${rows} x ${cols} = ${rows * cols} parameters`;
  });
  return { formula: known.formula, text: known.help, weights };
}

// The selected stage's title, formula, text, weights and times in the event shown.
function showInfo(info, about, { name, op, event, optimizer }) {
  info.title.textContent = name === OPTIMIZER ? `optimizer (${optimizer})` : `${name}${op ? ` (${op.kind})` : ""}`;
  info.formula.textContent = about.formula;
  info.text.textContent = about.text;
  info.weights.textContent = about.weights.join("; ");
  if (name === OPTIMIZER) {
    info.times.textContent = event ? `This step: ${formatMs(event.time.optimizer_ms)} ms at lr ${event.lr.toPrecision(3)}.` : "";
  } else if (op && op.forward_ms !== null && event) {
    const parts = [`forward ${formatMs(op.forward_ms)} ms`];
    if (op.backward_ms !== null) parts.push(`backward ${formatMs(op.backward_ms)} ms`);
    if (op.nodes !== null) parts.push(`${op.nodes.toLocaleString("en-US")} Value nodes built`);
    info.times.textContent = `Step ${event.step}: ${parts.join(", ")}.`;
  } else {
    info.times.textContent = "";
  }
}

function totalsText(event) {
  if (!event) return WAITING;
  const { time, graph } = event;
  const parts = [`step ${event.step}`, `forward ${formatMs(time.forward_ms)} ms`,
                 `backward ${formatMs(time.backward_ms)} ms`, `optimizer ${formatMs(time.optimizer_ms)} ms`];
  if (graph.nodes !== null) parts.push(`${graph.nodes.toLocaleString("en-US")} Value nodes, ${graph.edges.toLocaleString("en-US")} edges`);
  return parts.join(" · ");
}

// Selecting a stage: a click on its box, or the arrow keys and Enter on the focused diagram.
function listen(canvas, state, { select, redraw }) {
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const [x, y] = [event.clientX - box.left, event.clientY - box.top];
    const hit = state.layout.boxes.find((b) => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h);
    if (hit) select(hit.name);
  });
  canvas.addEventListener("keydown", (event) => {
    const { boxes } = state.layout;
    const count = boxes.length;
    if (!count) return;
    state.focus = Math.min(state.focus, count - 1); // the layout may have shrunk
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -count, End: count };
    if (event.key in moves) {
      state.focus = Math.max(0, Math.min(count - 1, state.focus + moves[event.key]));
      canvas.setAttribute("aria-label", `Model stages: ${boxes[state.focus].name}. Press Enter to show what it computes.`);
    } else if (event.key === "Enter" || event.key === " ") {
      select(boxes[state.focus].name);
    } else {
      return;
    }
    event.preventDefault(); // keep the page's shortcuts (Enter = new session) out of it
    redraw();
  });
  canvas.addEventListener("focus", redraw);
  canvas.addEventListener("blur", redraw);
}

// The diagram at moment t of the pulse (null: none), the totals and the published data.
function draw(el, { surface, canvas, totals }, state, t) {
  const optimizer = optimizerName(state.model);
  const { event } = state;
  el.dataset.stages = String(state.ops.length);
  el.dataset.shapes = JSON.stringify(Object.fromEntries(state.shapes));
  el.dataset.step = event ? String(event.step) : "";
  totals.textContent = totalsText(event);
  if (!surface.width()) return;
  state.layout = layoutStages(columnsOf(state.model, state.ops), surface.width());
  canvas.style.height = `${state.layout.height}px`;
  if (!surface.fit()) return;
  paintStages(surface.ctx, {
    ...state.layout,
    ops: new Map(state.ops.map((op) => [op.name, op])),
    shapes: state.shapes,
    pictures: state.pictures,
    selected: state.selected,
    focus: document.activeElement === canvas ? state.focus : -1,
    t,
    optimizerText: `optimizer (${optimizer})${event ? `: ${formatMs(event.time.optimizer_ms)} ms, lr ${event.lr.toPrecision(3)}` : ""}`,
  }, theme());
}

// The shapes and pictures of a followed token (Session.explain's answer), by stage.
function followedOf(model, answer) {
  const shapes = new Map(model.shapes);
  const pictures = new Map();
  for (const stage of answer?.stages ?? []) {
    shapes.set(stage.name, stage.heads ? `${stage.heads.length} × ${answer.position + 1}` : String(stage.forward.length));
    pictures.set(stage.name, { forward: stripColours(stage.forward), backward: stripColours(stage.backward) });
  }
  return { shapes, pictures };
}

export function create(el, { follow = () => {} }) {
  const dom = createDom(el);
  const table = createTable((name) => select(name, { open: true }));
  el.append(table.details);
  const state = {
    model: modelView(null),
    ops: [], // the latest event's graph.ops (or the model's skeleton)
    event: null, // the latest full event shown
    layout: { boxes: [], titles: [], height: 0 },
    selected: null,
    focus: 0,
    shapes: new Map(),
    pictures: new Map(), // stage -> the followed token's {forward, backward} strip colours
    pulse: null, // {start} while animating
    next: null, // the latest full event that arrived during a pulse
  };

  function setOps(ops) {
    state.ops = ops;
    table.build(ops);
    if (state.selected) select(state.selected);
  }

  function select(name, { open = false } = {}) {
    if (open) follow({ stage: name });
    state.selected = name;
    const index = state.layout.boxes.findIndex((box) => box.name === name);
    if (index >= 0) state.focus = index;
    el.dataset.selected = name;
    const op = state.ops.find((o) => o.name === name);
    showInfo(dom.info, describe(state.model, name), { name, op, event: state.event, optimizer: optimizerName(state.model) });
    frame.request();
  }

  function startPulse(event) {
    state.next = null;
    state.event = event;
    setOps(event.graph.ops);
    if (!reduceMotion()) state.pulse = { start: performance.now() };
    frame.request();
  }

  // The moment of the pulse in [0, 1], or null when none runs; a finished
  // pulse starts the one that waited.
  function pulseMoment() {
    const t = state.pulse ? (performance.now() - state.pulse.start) / PULSE_MS : null;
    if (t === null || t < 1) return t;
    state.pulse = null;
    if (state.next) startPulse(state.next);
    return null;
  }

  const frame = createFrame(() => {
    draw(el, dom, state, pulseMoment());
    table.fill(state.ops);
    if (state.pulse) frame.request();
  });
  listen(dom.canvas, state, { select: (name) => select(name, { open: true }), redraw: () => frame.request() });
  Object.assign(state, followedOf(state.model, null));
  setOps(state.model.skeleton);

  return {
    // A session shown: its model's stages, and its newest step with a graph.
    reset({ record, steps }) {
      state.model = modelView(modelOf(record));
      Object.assign(state, followedOf(state.model, null));
      Object.assign(state, { pulse: null, next: null, event: (steps || []).findLast((step) => step.graph) ?? null });
      setOps(state.event ? state.event.graph.ops : state.model.skeleton);
      frame.request();
    },
    // A full event pulses now, or after the running pulse with the latest one.
    show(event) {
      if (!event.graph) return;
      if (state.pulse) state.next = event;
      else startPulse(event);
    },
    // "Follow a token" explained a position: its shapes and numbers go in the boxes.
    followed(answer) {
      Object.assign(state, followedOf(state.model, answer));
      frame.request();
    },
    ...frameLifecycle(el, frame),
  };
}
