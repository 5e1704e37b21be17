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
// end of the document), data-target-prob, data-target-rank (1 = most likely)
// and data-bigram-prob (the counting bigram's probability of the target, ""
// when it is not shown).
//
// Beside the model's guess, the counting bigram's (the engine's
// Session.bigram of the session's documents, read once per session through
// stored.bigram): under each bar, a thin one for the probability counting
// gives the same token after the same character, so a learner sees where
// the model already knows more than pairs of characters.
import { createCanvas, drawMessage } from "../draw/canvas.js";
import { theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { bigramPair, shownBigram } from "../draw/bigram.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { tokenLabels } from "../draw/tokens.js";

const ROW = 26;
const LABEL_WIDTH = 64;
const VALUE_WIDTH = 56;

let nextId = 0;

function createDom(el, uid) {
  const positionButton = (text, name, key) => element("button", { type: "button", textContent: text, "aria-label": name, "aria-keyshortcuts": key });
  const prev = positionButton("◀", "Previous position", "ArrowLeft");
  const next = positionButton("▶", "Next position", "ArrowRight");
  const where = element("span", { className: "panel-info", id: `${uid}-position` });
  const follow = element("input", { type: "checkbox", checked: true });
  const bigram = element("input", { type: "checkbox", checked: true });
  const through = element("button", { type: "button", textContent: "Through the model ▸", "aria-label": "Walk this position through the model" });
  const controls = element("div", { className: "panel-controls" }, prev, where, next,
    element("label", { className: "panel-check" }, follow, " Follow the latest token"),
    element("label", { className: "panel-check" }, bigram, " Counting bigram beside"), through);
  // A name is allowed on a group, not on a paragraph (axe, when it is empty).
  const context = element("p", { className: "probs-context", role: "group", "aria-label": "Document context" });
  const plot = createCanvas(el, { label: "Top next-token probabilities at the shown position", height: 7 * ROW + 8 });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-readout`);
  const readout = element("p", { className: "panel-readout", id: `${uid}-readout`, "aria-live": "polite" });
  el.append(controls, context, plot.canvas, readout);
  return { prev, next, where, follow, bigram, through, context, plot, readout };
}

// The document up to the target: the position's token, an arrow, the target.
function renderContext(context, tokens, position, label) {
  context.replaceChildren();
  tokens.slice(0, position + 2).forEach((id, p) => {
    if (p === position + 1) {
      context.append(element("span", { className: "tok-arrow", textContent: "→", "aria-hidden": "true" }));
    }
    const className = p === position ? "tok tok-current" : p === position + 1 ? "tok tok-target" : "tok";
    context.append(element("span", { className, textContent: label(id) }));
  });
}

function publish(el, { event, position, vocab }, entry, bos, counted) {
  Object.assign(el.dataset, {
    position: entry ? String(position) : "",
    positions: String(event ? event.topk.length : 0),
    step: event ? String(event.step) : "",
    doc: event ? event.doc : "",
    context: entry ? event.tokens.slice(1, position + 1).map((id) => vocab[id] ?? "").join("") : "",
    targetChar: entry ? (entry.target === vocab.length ? bos : vocab[entry.target]) : "",
    targetProb: entry ? String(entry.target_prob) : "",
    targetRank: entry ? String(entry.target_rank + 1) : "",
    bigramProb: entry && counted ? String(counted(entry.target).prob) : "",
  });
}

// The uniform guess, 1 / vocab size (a model that learned nothing), as a dashed line.
function drawUniform({ ctx, size }, x, colours) {
  ctx.strokeStyle = colours.muted;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(x + 0.5, 2);
  ctx.lineTo(x + 0.5, size.height - 14);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = colours.muted;
  ctx.font = `10px ${colours.mono}`;
  ctx.textAlign = "left";
  ctx.fillText("uniform", x + 4, size.height - 7);
}

// The top-k as bars, and the target under a rule when it is outside them;
// counted(id): the counting bigram's pair for that next token (null: not shown).
function drawBars(plot, entry, state, colours, counted) {
  const { ctx, size } = plot;
  const rows = entry.ids.map((id, i) => ({ id, prob: entry.probs[i], rank: i }));
  const outside = entry.target_rank >= rows.length;
  if (outside) rows.push({ id: entry.target, prob: entry.target_prob, rank: entry.target_rank });
  const x0 = LABEL_WIDTH;
  const width = Math.max(10, size.width - x0 - VALUE_WIDTH);
  drawUniform(plot, x0 + width / (state.vocab.length + 1), colours);
  ctx.textBaseline = "middle";
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
    const bar = Math.max(1, row.prob * width);
    ctx.fillStyle = isTarget ? colours.accent : colours.ink;
    ctx.font = `${isTarget ? "bold " : ""}13px ${colours.mono}`;
    ctx.textAlign = "right";
    ctx.fillText(`${row.rank + 1}. ${state.label(row.id)}`, x0 - 6, y + ROW / 2 - 2);
    ctx.globalAlpha = isTarget ? 1 : 0.55;
    ctx.fillStyle = isTarget ? colours.accent : colours.muted;
    ctx.fillRect(x0, y + 2, bar, ROW - 8);
    ctx.globalAlpha = 1;
    if (counted) {
      ctx.fillStyle = colours.ink;
      ctx.fillRect(x0, y + ROW - 5, Math.max(1, counted(row.id).prob * width), 2);
    }
    ctx.fillStyle = isTarget ? colours.accent : colours.ink;
    ctx.font = `${isTarget ? "bold " : ""}12px ${colours.mono}`;
    ctx.textAlign = "left";
    ctx.fillText(row.prob.toFixed(3), x0 + bar + 4, y + ROW / 2 - 2);
  });
}

function draw(el, dom, state, bos) {
  const count = state.event ? state.event.topk.length : 0;
  if (count && dom.follow.checked) state.position = count - 1;
  const entry = count ? state.event.topk[Math.min(state.position, count - 1)] : null;
  const token = entry ? state.event.tokens[state.position] : null;
  const bigram = state.counted.bigram;
  const counted = entry && bigram && dom.bigram.checked ? (next) => bigramPair(bigram, token, next) : null;
  state.drawnStep = entry ? state.event.step : null;
  publish(el, state, entry, bos, counted);
  dom.prev.disabled = !entry || state.position === 0;
  dom.next.disabled = !entry || state.position === count - 1;
  dom.through.disabled = !entry;
  const { event, position } = state;
  // Positions are microgpt's pos_id, from 0 (as in Follow a token and the attention panel).
  dom.where.textContent = entry ? `position ${position} of 0 to ${count - 1} · step ${event.step}` : "";
  if (entry) renderContext(dom.context, event.tokens, position, state.label);
  else dom.context.replaceChildren();
  const after = position === 0 ? `the start (${bos})` : `“${el.dataset.context}”`;
  const countedText = counted ? ` Counting pairs gives it ${counted(entry.target).prob.toFixed(3)} after `
    + `“${state.label(token)}” (the thin bars: the counting bigram's probability of each token).` : "";
  dom.readout.textContent = entry ? `After ${after} the target is “${state.label(entry.target)}”: `
    + `probability ${entry.target_prob.toFixed(3)}, rank ${entry.target_rank + 1} of ${state.vocab.length + 1}.${countedText}` : "";
  if (!dom.plot.fit()) return;
  if (entry) drawBars(dom.plot, entry, state, theme(), counted);
  else drawMessage(dom.plot, "Probabilities appear after the first step.", theme());
}

const KEYS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 };

// Stepping through the positions: the buttons, the arrow keys, Home and End.
function listen(el, dom, state, redraw) {
  const go = (position, follow = false) => {
    const count = state.event ? state.event.topk.length : 0;
    if (!count) return;
    dom.follow.checked = follow;
    state.position = Math.min(count - 1, Math.max(0, position));
    redraw();
  };
  dom.prev.addEventListener("click", () => go(state.position - 1));
  dom.next.addEventListener("click", () => go(state.position + 1));
  dom.follow.addEventListener("change", redraw);
  dom.bigram.addEventListener("change", redraw);
  el.addEventListener("keydown", (event) => {
    if (event.target.closest("select, input:not([type=checkbox])") || !state.event) return;
    const targets = { Home: 0, End: state.event.topk.length - 1 };
    const target = event.key in KEYS ? state.position + KEYS[event.key] : targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    go(target, event.key === "End");
  });
}

export function create(el, { schema, stored = null, follow = () => {} }) {
  const dom = createDom(el, `probs${nextId++}`);
  const state = { vocab: [], event: null, drawnStep: null, position: 0, label: tokenLabels([], schema.bos_label) };
  const frame = createFrame(() => draw(el, dom, state, schema.bos_label));
  state.counted = shownBigram(stored, () => frame.request());
  listen(el, dom, state, () => frame.request());
  // The position on screen, of the step on screen (a newer one may be on its way to the next frame).
  dom.through.addEventListener("click", () => state.drawnStep !== null && follow({ position: state.position, step: state.drawnStep }));

  function display(event) {
    state.event = event;
    if (event && !dom.follow.checked) state.position = Math.min(state.position, event.topk.length - 1);
    frame.request();
  }

  return {
    // A session shown: its newest step with probabilities (the full ones).
    reset({ session, record, steps }) {
      state.counted.show(session);
      state.vocab = record?.vocab ?? [];
      state.label = tokenLabels(state.vocab, schema.bos_label);
      display((steps || []).findLast((step) => step.topk) ?? null);
    },
    show(event) {
      if (event.topk) display(event);
    },
    ...frameLifecycle(el, frame),
  };
}
