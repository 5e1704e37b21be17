// Graph pulse: the model's computation as its stages in forward order (the
// engine's graph.ops), a column per block. Each full step event sends a pulse
// forward through the stages, back through them (backpropagation), then an
// optimizer flash. Every stage shows its forward/backward time and, with the
// scalar engine, the Value nodes it built. Selecting a stage (click, or the
// arrow keys and Enter on the focused diagram, or the table's buttons) shows
// what it computes, in microgpt's names.
import { createCanvas, createLegend, theme } from "./canvas.js";
import { createFrame } from "../draw/frame.js";

const COLUMN_MIN = 138; // CSS px per column before the flow wraps
const BOX_H = 34;
const BOX_GAP = 9;
const HEADER_H = 18;
const ROW_GAP = 16;
const OPT_H = 26;
const FONT = "11px system-ui, sans-serif";
const SMALL = "10px system-ui, sans-serif";
// The pulse: forward, backward, then the optimizer flash (fractions of PULSE_MS).
const PULSE_MS = 900;
const FORWARD_END = 0.42;
const BACKWARD_END = 0.84;
const OPTIMIZER = "optimizer";

// The stages of one transformer block, in the order the engine reports them
// (used to show the model's structure before its first full event).
const BLOCK = ["attn_norm", "attn_wq", "attn_wk", "attn_wv", "attention", "attn_wo", "attn_residual",
               "mlp_norm", "mlp_fc1", "relu", "mlp_fc2", "mlp_residual"];
const KINDS = { attn_norm: "rmsnorm", mlp_norm: "rmsnorm", attention: "attention", relu: "relu",
                attn_residual: "residual", mlp_residual: "residual" };

function skeleton(nLayer) {
  const op = (name, kind) => ({ name, kind, forward_ms: null, backward_ms: null, nodes: null });
  const ops = [op("embedding", "embedding"), op("rmsnorm", "rmsnorm")];
  for (let i = 0; i < nLayer; i += 1) for (const part of BLOCK) ops.push(op(`layer${i}.${part}`, KINDS[part] || "linear"));
  ops.push(op("lm_head", "linear"), op("softmax", "softmax"), op("loss", "loss"));
  return ops;
}

// What a stage computes: {formula, text, weights: [[state_dict key, rows, cols]]}.
// From the algorithm: linear(x, W)[o] = sum_i W[o][i] * x[i]; rmsnorm(x) = x * (mean(x^2) + 1e-5) ** -0.5.
function describe(name, dims) {
  const match = /^(layer\d+)\.(.+)$/.exec(name);
  const layer = match ? match[1] : "";
  const part = match ? match[2] : name;
  const { embd, head, block, vocab } = dims;
  const hd = head ? embd / head : "?";
  const linear = (out, input, key, rows, cols, text) => ({
    formula: `${out} = linear(${input}, state_dict['${key}'])`,
    text: `${text} linear(x, W)[o] = sum_i W[o][i] * x[i], no bias.`,
    weights: [[key, rows, cols]],
  });
  const table = {
    embedding: { formula: "x = wte[token] + wpe[pos]",
                 text: "Looks up the token's row of the token embedding and the position's row of the position embedding, and adds them.",
                 weights: [["wte", vocab, embd], ["wpe", block, embd]] },
    rmsnorm: { formula: "x = rmsnorm(x) = x * (mean(x**2) + 1e-5) ** -0.5",
               text: "Scales the embedding to unit root-mean-square. No weights." },
    attn_norm: { formula: "xn = rmsnorm(x)",
                 text: "Normalises the residual stream before attention (pre-norm); x itself is kept for the residual." },
    attn_wq: linear("q", "xn", `${layer}.attn_wq`, embd, embd, "The query: what this position is looking for."),
    attn_wk: linear("k", "xn", `${layer}.attn_wk`, embd, embd, "The key: what this position offers; appended to this layer's key cache."),
    attn_wv: linear("v", "xn", `${layer}.attn_wv`, embd, embd, "The value: what this position passes on; appended to this layer's value cache."),
    attention: { formula: `w = softmax([dot(q_h, k_h[s]) / sqrt(${hd}) for s in cache]); out_h = sum_s w[s] * v_h[s]`,
                 text: `For each of the ${head} heads (head_dim = n_embd / n_head = ${hd}): scores the query against every cached key, turns the scores into weights with softmax, and takes the weighted sum of the cached values. The heads' outputs are concatenated. No weights.` },
    attn_wo: linear("x_attn", "concat(out_h)", `${layer}.attn_wo`, embd, embd, "Projects the concatenated heads back into the residual stream."),
    attn_residual: { formula: "x = x + x_attn",
                     text: "Adds attention's output to the residual stream: the block learns a change to x, and gradients get a direct path back." },
    mlp_norm: { formula: "xn = rmsnorm(x)", text: "Normalises the residual stream before the MLP." },
    mlp_fc1: linear("h", "xn", `${layer}.mlp_fc1`, 4 * embd, embd, "Expands to 4 * n_embd hidden units."),
    relu: { formula: "h = max(0, h)", text: "Keeps the positive hidden units and zeroes the rest, element by element." },
    mlp_fc2: linear("x_mlp", "h", `${layer}.mlp_fc2`, embd, 4 * embd, "Projects the hidden units back to n_embd."),
    mlp_residual: { formula: "x = x + x_mlp", text: "Adds the MLP's output to the residual stream." },
    lm_head: linear("logits", "x", "lm_head", vocab, embd, "One score per token of the vocabulary: how strongly each is predicted to come next."),
    softmax: { formula: "probs = exp(logits - max(logits)) / sum(exp(logits - max(logits)))",
               text: "Turns the scores into probabilities that sum to 1 (subtracting the max keeps exp from overflowing)." },
    loss: { formula: "loss = mean over positions p of -log(probs_p[target_p])",
            text: `Cross-entropy: small when the model gave the true next token a high probability. Guessing uniformly scores ln(vocab_size) = ${vocab ? Math.log(vocab).toFixed(2) : "?"}.` },
    [OPTIMIZER]: { formula: "m = 0.85*m + 0.15*g; v = 0.99*v + 0.01*g**2; p -= lr_t * m_hat / (sqrt(v_hat) + 1e-8)",
                   text: "Adam updates every parameter from its gradient g, with bias-corrected moments m_hat = m / (1 - 0.85**(step+1)), v_hat = v / (1 - 0.99**(step+1)) and a learning rate that decays linearly: lr_t = learning_rate * (1 - step / num_steps). Then the gradients are zeroed." },
  };
  return table[part] || { formula: name, text: "A stage of the model." };
}

const formatMs = (ms) => (ms === null || ms === undefined ? "-" : ms < 1 ? ms.toFixed(2) : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const formatCount = (n) => (n >= 10000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

// Columns of stages: "input", one per attention / MLP block, "output".
function group(ops) {
  const columns = [];
  let seenLayer = false;
  for (const op of ops) {
    const match = /^layer(\d+)\.(.+)$/.exec(op.name);
    let key;
    let title;
    if (match) {
      seenLayer = true;
      const mlp = match[2].startsWith("mlp") || match[2] === "relu";
      key = `${match[1]}${mlp ? "m" : "a"}`;
      title = `layer ${match[1]} · ${mlp ? "MLP" : "attention"}`;
    } else {
      key = seenLayer ? "output" : "input";
      title = key;
    }
    let column = columns[columns.length - 1];
    if (!column || column.key !== key) {
      column = { key, title, stages: [] };
      columns.push(column);
    }
    column.stages.push(op.name);
  }
  return columns;
}

export function create(el) {
  const legend = createLegend([["forward", "forward pulse (→ ms)"], ["backward", "backward pulse (← ms)"],
                               ["optimizer", "optimizer step"], ["time", "share of step time"]]);

  const surface = createCanvas(el, { height: 300 });
  const { canvas } = surface;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "group");
  canvas.setAttribute("aria-roledescription", "diagram");

  const totals = document.createElement("p");
  totals.className = "graph-totals";
  totals.textContent = "Waiting for a step with full instrumentation.";

  const info = document.createElement("div");
  info.className = "stage-info";
  info.setAttribute("aria-live", "polite");
  const infoTitle = document.createElement("h3");
  const infoFormula = document.createElement("code");
  infoFormula.className = "formula";
  const infoText = document.createElement("p");
  const infoWeights = document.createElement("p");
  const infoTimes = document.createElement("p");
  infoTitle.textContent = "Select a stage";
  infoText.textContent = "Click a stage (or focus the diagram, move with the arrow keys, press Enter) to see what it computes.";
  info.append(infoTitle, infoFormula, infoText, infoWeights, infoTimes);

  const details = document.createElement("details");
  details.className = "graph-table";
  const summary = document.createElement("summary");
  summary.textContent = "Stage timings (table)";
  const tableEl = document.createElement("table");
  const head = document.createElement("tr");
  for (const text of ["stage", "kind", "forward ms", "backward ms", "Value nodes"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tableEl.append(thead, tbody);
  details.append(summary, tableEl);

  el.append(legend);
  el.append(canvas, totals, info, details);

  const reduceMotion = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
  const state = {
    session: null,
    dims: { embd: 0, head: 0, block: 0, vocab: 0 },
    ops: [], // the latest event's graph.ops (or the skeleton)
    event: null, // the latest full event shown
    names: "", // the stage names the layout and table were built for
    columns: [],
    boxes: [], // {name, x, y, w, h} in CSS px, in forward order, then the optimizer bar
    selected: null,
    focus: 0,
    pulse: null, // {start} while animating
    next: null, // the latest full event that arrived during a pulse
    rows: new Map(), // stage name -> table cells
  };

  function layout(width) {
    const columns = group(state.ops);
    const perRow = Math.max(1, Math.min(columns.length, Math.floor(width / COLUMN_MIN)));
    const colW = width / perRow;
    const boxes = [];
    let y = 4;
    const placed = [];
    for (let r = 0; r * perRow < columns.length; r += 1) {
      const row = columns.slice(r * perRow, (r + 1) * perRow);
      let tallest = 0;
      row.forEach((column, c) => {
        const x = c * colW + 8;
        placed.push({ title: column.title, x, y });
        column.stages.forEach((name, s) => {
          boxes.push({ name, x, y: y + HEADER_H + s * (BOX_H + BOX_GAP), w: colW - 16, h: BOX_H });
        });
        tallest = Math.max(tallest, HEADER_H + column.stages.length * (BOX_H + BOX_GAP));
      });
      y += tallest + ROW_GAP - BOX_GAP;
    }
    boxes.push({ name: OPTIMIZER, x: 8, y, w: width - 16, h: OPT_H });
    state.columns = placed;
    state.boxes = boxes;
    return y + OPT_H + 6;
  }

  function buildTable() {
    state.rows.clear();
    const rows = state.ops.map((op) => {
      const tr = document.createElement("tr");
      tr.dataset.stage = op.name;
      const nameCell = document.createElement("th");
      nameCell.scope = "row";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = op.name;
      button.addEventListener("click", () => select(op.name));
      nameCell.append(button);
      const cells = [document.createElement("td"), document.createElement("td"), document.createElement("td"), document.createElement("td")];
      cells[0].textContent = op.kind;
      tr.append(nameCell, ...cells);
      state.rows.set(op.name, cells);
      return tr;
    });
    tbody.replaceChildren(...rows);
  }

  function select(name) {
    state.selected = name;
    const index = state.boxes.findIndex((box) => box.name === name);
    if (index >= 0) state.focus = index;
    el.dataset.selected = name;
    showInfo();
    frame.request();
  }

  function showInfo() {
    const name = state.selected;
    if (!name) return;
    const about = describe(name, state.dims);
    const op = state.ops.find((o) => o.name === name);
    infoTitle.textContent = name === OPTIMIZER ? "optimizer (Adam)" : `${name}${op ? ` (${op.kind})` : ""}`;
    infoFormula.textContent = about.formula;
    infoText.textContent = about.text;
    infoWeights.textContent = (about.weights || [])
      .map(([key, rows, cols]) => `state_dict['${key}']: ${rows} x ${cols} = ${rows * cols} parameters`).join("; ");
    const time = state.event?.time;
    if (name === OPTIMIZER) {
      infoTimes.textContent = time ? `This step: ${formatMs(time.optimizer_ms)} ms at lr ${state.event.lr.toPrecision(3)}.` : "";
    } else if (op && op.forward_ms !== null) {
      const parts = [`forward ${formatMs(op.forward_ms)} ms`];
      if (op.backward_ms !== null) parts.push(`backward ${formatMs(op.backward_ms)} ms`);
      if (op.nodes !== null) parts.push(`${op.nodes.toLocaleString("en-US")} Value nodes built`);
      infoTimes.textContent = `Step ${state.event.step}: ${parts.join(", ")}.`;
    } else {
      infoTimes.textContent = "";
    }
  }

  function setOps(ops) {
    state.ops = ops;
    const names = ops.map((op) => op.name).join(" ");
    if (names !== state.names) {
      state.names = names;
      buildTable();
    }
  }

  // How lit each stage is at this moment of the pulse: {forward, backward, optimizer} in [0, 1].
  function glow(index, count, t) {
    const near = (pos) => Math.max(0, 1 - Math.abs(pos - index) / 1.6);
    if (t < FORWARD_END) return { forward: near((t / FORWARD_END) * count), backward: 0 };
    if (t < BACKWARD_END) return { forward: 0, backward: near(count - 1 - ((t - FORWARD_END) / (BACKWARD_END - FORWARD_END)) * count) };
    return { forward: 0, backward: 0 };
  }

  function draw() {
    const width = surface.width();
    if (!width) return;
    const height = `${layout(width)}px`;
    if (canvas.style.height !== height) canvas.style.height = height;
    if (!surface.fit()) return;
    const { ctx } = surface;
    const colors = theme();
    const now = performance.now();
    let t = 1;
    if (state.pulse) {
      t = (now - state.pulse.start) / PULSE_MS;
      if (t >= 1) {
        state.pulse = null;
        t = 1;
        if (state.next) startPulse(state.next);
      }
    }
    const ops = new Map(state.ops.map((op) => [op.name, op]));
    let maxTime = 0;
    for (const op of state.ops) maxTime = Math.max(maxTime, (op.forward_ms || 0) + (op.backward_ms || 0));
    const stages = state.boxes.length - 1;
    const focused = document.activeElement === canvas;

    ctx.font = FONT;
    ctx.textBaseline = "middle";
    // Column titles.
    ctx.fillStyle = colors.muted;
    ctx.textAlign = "left";
    for (const column of state.columns) ctx.fillText(column.title, column.x, column.y + HEADER_H / 2 - 2);

    // Data flow: from each stage to the next.
    ctx.strokeStyle = colors.line;
    ctx.lineWidth = 1.5;
    for (let i = 0; i + 1 < stages; i += 1) {
      const a = state.boxes[i];
      const b = state.boxes[i + 1];
      ctx.beginPath();
      if (Math.abs(a.x - b.x) < 1) {
        ctx.moveTo(a.x + a.w / 2, a.y + a.h);
        ctx.lineTo(b.x + b.w / 2, b.y);
      } else if (b.x > a.x) {
        // The next column of the same row: across the gap between them.
        const x0 = a.x + a.w;
        const y0 = a.y + a.h / 2;
        const x1 = b.x;
        const y1 = b.y + b.h / 2;
        ctx.moveTo(x0, y0);
        ctx.bezierCurveTo(x0 + 12, y0, x1 - 12, y1, x1, y1);
      } else {
        const x0 = a.x + a.w / 2;
        const y0 = a.y + a.h;
        const x1 = b.x + b.w / 2;
        const y1 = b.y;
        ctx.moveTo(x0, y0);
        ctx.bezierCurveTo(x0, y0 + 40, x1, y1 - 40, x1, y1);
      }
      ctx.stroke();
    }

    state.boxes.forEach((box, i) => {
      const isOpt = box.name === OPTIMIZER;
      const op = ops.get(box.name);
      let lit = { forward: 0, backward: 0 };
      if (state.pulse && !isOpt) lit = glow(i, stages, t);
      const flash = state.pulse && isOpt && t >= BACKWARD_END ? 1 - (t - BACKWARD_END) / (1 - BACKWARD_END) : 0;

      ctx.fillStyle = colors.card;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      const tint = lit.forward ? [colors.accent, lit.forward] : lit.backward ? [colors.warn, lit.backward] : flash ? [colors.good, flash] : null;
      if (tint) {
        ctx.globalAlpha = 0.2 + 0.6 * tint[1];
        ctx.fillStyle = tint[0];
        ctx.fillRect(box.x, box.y, box.w, box.h);
        ctx.globalAlpha = 1;
      }
      // Share of the step's time spent in this stage.
      if (op && maxTime > 0) {
        ctx.fillStyle = colors.muted;
        ctx.globalAlpha = 0.35;
        ctx.fillRect(box.x, box.y + box.h - 4, (box.w * ((op.forward_ms || 0) + (op.backward_ms || 0))) / maxTime, 4);
        ctx.globalAlpha = 1;
      }
      const selected = state.selected === box.name;
      ctx.strokeStyle = selected ? colors.ink : isOpt ? colors.good : colors.line;
      ctx.lineWidth = selected ? 2.5 : 1;
      ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
      if (focused && state.focus === i) {
        ctx.strokeStyle = colors.accent;
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 2;
        ctx.strokeRect(box.x - 2.5, box.y - 2.5, box.w + 5, box.h + 5);
        ctx.setLineDash([]);
      }

      ctx.fillStyle = colors.ink;
      ctx.textAlign = "left";
      ctx.font = FONT;
      if (isOpt) {
        const time = state.event?.time;
        const text = time ? `optimizer (Adam): ${formatMs(time.optimizer_ms)} ms, lr ${state.event.lr.toPrecision(3)}` : "optimizer (Adam)";
        ctx.fillText(text, box.x + 8, box.y + box.h / 2);
        return;
      }
      const label = box.name.replace(/^layer\d+\./, "");
      ctx.fillText(label, box.x + 6, box.y + 11, box.w - 12);
      ctx.font = SMALL;
      ctx.fillStyle = colors.muted;
      let line = "";
      if (op && op.forward_ms !== null) {
        line = `→${formatMs(op.forward_ms)}`;
        if (op.backward_ms !== null) line += ` ←${formatMs(op.backward_ms)}`;
        line += " ms";
        if (op.nodes !== null) line += ` · ${formatCount(op.nodes)} nodes`;
      }
      ctx.fillText(line, box.x + 6, box.y + 23, box.w - 12);
    });

    // The table and totals follow the drawn event.
    for (const op of state.ops) {
      const cells = state.rows.get(op.name);
      if (!cells) continue;
      cells[1].textContent = formatMs(op.forward_ms);
      cells[2].textContent = formatMs(op.backward_ms);
      cells[3].textContent = op.nodes === null ? "-" : String(op.nodes);
    }
    const event = state.event;
    if (event) {
      const parts = [`step ${event.step}`, `forward ${formatMs(event.time.forward_ms)} ms`,
                     `backward ${formatMs(event.time.backward_ms)} ms`, `optimizer ${formatMs(event.time.optimizer_ms)} ms`];
      if (event.graph.nodes !== null) {
        parts.push(`${event.graph.nodes.toLocaleString("en-US")} Value nodes, ${event.graph.edges.toLocaleString("en-US")} edges`);
      }
      totals.textContent = parts.join(" · ");
    }
    el.dataset.stages = String(state.ops.length);
    el.dataset.step = event ? String(event.step) : "";
    if (state.pulse) frame.request();
  }

  const frame = createFrame(draw);

  function startPulse(event) {
    state.next = null;
    state.event = event;
    setOps(event.graph.ops);
    if (state.selected) showInfo();
    if (!reduceMotion) state.pulse = { start: performance.now() };
    frame.request();
  }

  // A full event: pulse now, or after the running pulse with the latest event.
  function show(event) {
    if (state.pulse) state.next = event;
    else startPulse(event);
  }

  function reset(message) {
    const config = message.record?.config || {};
    state.session = message.session;
    state.dims = { embd: config.n_embd || 0, head: config.n_head || 0, block: config.block_size || 0,
                   vocab: message.record?.vocab ? message.record.vocab.length + 1 : 0 };
    state.pulse = null;
    state.next = null;
    state.event = null;
    totals.textContent = "Waiting for a step with full instrumentation.";
    const steps = message.steps || [];
    let latest = null;
    for (let i = steps.length - 1; i >= 0 && !latest; i -= 1) if (steps[i].graph) latest = steps[i];
    if (latest) {
      state.event = latest;
      setOps(latest.graph.ops);
    } else {
      setOps(skeleton(config.n_layer || 1));
    }
    if (state.selected) showInfo();
    frame.request();
  }

  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const hit = state.boxes.find((b) => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h);
    if (hit) select(hit.name);
  });
  canvas.addEventListener("keydown", (event) => {
    const count = state.boxes.length;
    if (!count) return;
    state.focus = Math.min(state.focus, count - 1); // the layout may have shrunk
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -count, End: count };
    if (event.key in moves) {
      state.focus = Math.max(0, Math.min(count - 1, state.focus + moves[event.key]));
      canvas.setAttribute("aria-label", `Model stages: ${state.boxes[state.focus].name}. Press Enter to show what it computes.`);
    } else if (event.key === "Enter" || event.key === " ") {
      select(state.boxes[state.focus].name);
    } else {
      return;
    }
    event.preventDefault(); // keep the page's shortcuts (Enter = new session) out of it
    frame.request();
  });
  canvas.setAttribute("aria-label", "Model stages in forward order. Use the arrow keys to move and Enter to show what a stage computes.");
  canvas.addEventListener("focus", () => frame.request());
  canvas.addEventListener("blur", () => frame.request());

  setOps(skeleton(1));
  frame.request();

  return {
    update(message) {
      if (message.type === "session") reset(message);
      else if (message.type === "event" && message.session === message.current && message.session === state.session
               && message.event.graph) show(message.event);
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
