// Probabilities: what the model predicts next at one position of the current
// document - the top-k tokens as bars, the true next token (the target)
// highlighted, and its probability and rank even when it is outside the top k.
//
// Draws the latest "full" step event (only those carry `topk`: per position
// {ids, probs, target, target_prob, target_rank (0 = most likely)}).
// Position p reads input token tokens[p] and predicts tokens[p + 1].
// By default the panel follows the last position of each new document; the
// buttons, the arrow keys (Home/End too) step through the positions.
// For tests and the curious, the panel element carries what is shown:
// data-position, data-positions, data-step, data-doc, data-context (the
// document's characters before the target), data-target-char ("BOS" for the
// end of the document), data-target-prob, data-target-rank (1 = most likely).
import { createCanvas, latestWith, theme, tokenLabel } from "./canvas.js";
import { createFrame } from "../draw/frame.js";

const ROW = 26;
const LABEL_WIDTH = 64;
const VALUE_WIDTH = 56;

let nextId = 0;

export function create(el) {
  const uid = `probs${nextId++}`;
  const controls = document.createElement("div");
  controls.className = "panel-controls";
  const button = (text, name) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", name);
    b.setAttribute("aria-keyshortcuts", name.startsWith("Prev") ? "ArrowLeft" : "ArrowRight");
    return b;
  };
  const prev = button("◀", "Previous position");
  const next = button("▶", "Next position");
  const where = document.createElement("span");
  where.className = "panel-info";
  where.id = `${uid}-position`;
  const followLabel = document.createElement("label");
  followLabel.className = "panel-check";
  const follow = document.createElement("input");
  follow.type = "checkbox";
  follow.checked = true;
  followLabel.append(follow, " Follow the latest token");
  controls.append(prev, where, next, followLabel);

  const context = document.createElement("p");
  context.className = "probs-context";
  context.setAttribute("aria-label", "Document context");

  const plot = createCanvas(el, { label: "Top next-token probabilities at the shown position", height: 7 * ROW + 8 });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-readout`);
  const readout = document.createElement("p");
  readout.className = "panel-readout";
  readout.id = `${uid}-readout`;
  readout.setAttribute("aria-live", "polite");
  el.append(controls, context, plot.canvas, readout);

  const state = { vocab: [], event: null, position: 0 };
  const positions = () => (state.event ? state.event.topk.length : 0);
  const label = (id) => tokenLabel(id, state.vocab);

  function go(position) {
    const count = positions();
    if (!count) return;
    state.position = Math.min(count - 1, Math.max(0, position));
    frame.request();
  }

  function renderContext(tokens, position) {
    context.replaceChildren();
    tokens.forEach((id, p) => {
      if (p > position + 1) return;
      const span = document.createElement("span");
      span.textContent = label(id);
      span.className = p === position ? "tok tok-current" : p === position + 1 ? "tok tok-target" : "tok";
      if (p === position + 1) {
        const arrow = document.createElement("span");
        arrow.className = "tok-arrow";
        arrow.textContent = "→";
        arrow.setAttribute("aria-hidden", "true");
        context.append(arrow);
      }
      context.append(span);
    });
  }

  function publish(entry) {
    const { event, position } = state;
    el.dataset.position = entry ? String(position) : "";
    el.dataset.positions = String(positions());
    el.dataset.step = event ? String(event.step) : "";
    el.dataset.doc = event ? event.doc : "";
    el.dataset.context = entry ? event.tokens.slice(1, position + 1).map((id) => state.vocab[id] ?? "").join("") : "";
    el.dataset.targetChar = entry ? (entry.target === state.vocab.length ? "BOS" : state.vocab[entry.target]) : "";
    el.dataset.targetProb = entry ? String(entry.target_prob) : "";
    el.dataset.targetRank = entry ? String(entry.target_rank + 1) : "";
  }

  function draw() {
    const count = positions();
    if (count && follow.checked) state.position = count - 1;
    const entry = count ? state.event.topk[Math.min(state.position, count - 1)] : null;
    publish(entry);
    prev.disabled = !entry || state.position === 0;
    next.disabled = !entry || state.position === count - 1;
    if (!entry) {
      where.textContent = "";
      context.replaceChildren();
      readout.textContent = "";
    } else {
      const { event, position } = state;
      where.textContent = `position ${position + 1} of ${count} · step ${event.step}`;
      renderContext(event.tokens, position);
      const vocabSize = state.vocab.length + 1;
      const after = position === 0 ? "the start (BOS)" : `“${el.dataset.context}”`;
      readout.textContent = `After ${after} the target is “${label(entry.target)}”: `
        + `probability ${entry.target_prob.toFixed(3)}, rank ${entry.target_rank + 1} of ${vocabSize}.`;
    }

    if (!plot.fit()) return;
    const { ctx, size } = plot;
    const colours = theme();
    const mono = colours.mono || "monospace";
    ctx.textBaseline = "middle";
    if (!entry) {
      ctx.fillStyle = colours.muted;
      ctx.font = `12px ${mono}`;
      ctx.textAlign = "center";
      ctx.fillText("Probabilities appear after the first step.", size.width / 2, size.height / 2);
      return;
    }
    const rows = entry.ids.map((id, i) => ({ id, prob: entry.probs[i], rank: i }));
    const outside = entry.target_rank >= rows.length;
    if (outside) rows.push({ id: entry.target, prob: entry.target_prob, rank: entry.target_rank });
    const x0 = LABEL_WIDTH;
    const width = Math.max(10, size.width - x0 - VALUE_WIDTH);

    // The uniform guess, 1 / vocab size: a model that learned nothing.
    const uniform = 1 / (state.vocab.length + 1);
    ctx.strokeStyle = colours.muted;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x0 + uniform * width + 0.5, 2);
    ctx.lineTo(x0 + uniform * width + 0.5, size.height - 14);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = colours.muted;
    ctx.font = `10px ${mono}`;
    ctx.textAlign = "left";
    ctx.fillText("uniform", x0 + uniform * width + 4, size.height - 7);

    rows.forEach((row, i) => {
      const y = 4 + i * ROW + (outside && i === rows.length - 1 ? 6 : 0);
      const isTarget = row.id === entry.target;
      if (outside && i === rows.length - 1) {
        ctx.strokeStyle = colours.line;
        ctx.beginPath();
        ctx.moveTo(0, y - 3.5);
        ctx.lineTo(size.width, y - 3.5);
        ctx.stroke();
      }
      ctx.fillStyle = isTarget ? colours.accent : colours.ink;
      ctx.font = `${isTarget ? "bold " : ""}13px ${mono}`;
      ctx.textAlign = "right";
      ctx.fillText(`${row.rank + 1}. ${label(row.id)}`, x0 - 6, y + ROW / 2 - 2);
      ctx.globalAlpha = isTarget ? 1 : 0.55;
      ctx.fillStyle = isTarget ? colours.accent : colours.muted;
      ctx.fillRect(x0, y + 2, Math.max(1, row.prob * width), ROW - 8);
      ctx.globalAlpha = 1;
      ctx.fillStyle = isTarget ? colours.accent : colours.ink;
      ctx.font = `${isTarget ? "bold " : ""}12px ${mono}`;
      ctx.textAlign = "left";
      ctx.fillText(row.prob.toFixed(3), x0 + Math.max(1, row.prob * width) + 4, y + ROW / 2 - 2);
    });
  }

  const frame = createFrame(draw);

  prev.addEventListener("click", () => {
    follow.checked = false;
    go(state.position - 1);
  });
  next.addEventListener("click", () => {
    follow.checked = false;
    go(state.position + 1);
  });
  follow.addEventListener("change", () => frame.request());

  const KEYS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 };
  el.addEventListener("keydown", (event) => {
    if (event.target.closest("select, input:not([type=checkbox])")) return;
    const count = positions();
    if (!count) return;
    let target = null;
    if (event.key in KEYS) target = state.position + KEYS[event.key];
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = count - 1;
    if (target === null) return;
    event.preventDefault();
    follow.checked = event.key === "End";
    go(target);
  });

  function show(event) {
    state.event = event;
    if (event && !follow.checked) state.position = Math.min(state.position, event.topk.length - 1);
    frame.request();
  }

  return {
    update(message) {
      if (message.type === "session") state.vocab = message.record ? message.record.vocab : [];
      const event = latestWith(message, "topk");
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
