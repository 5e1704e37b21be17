// Follow a token: one position of the shown step's document, through every
// stage of that step (the stages the session's model has: draw/model.js).
// The walk goes forward (each stage's values at that position), then
// backward (the gradient of the step's loss with respect to each of them,
// from the loss back to the embedding), and ends with the optimizer's update
// of the rows this position read (wte and wpe): gradient, Adam's m and v, and
// the step taken. Each moment shows its numbers as a heat strip, its shape,
// a plain sentence, and the lines of microgpt's code that computed it.
//
// The numbers are the engine's own (read(model): model.ask("explain",
// {position, step}), Session.explain): for the step the position belongs to
// (the live session's last step, the step shown in time travel, or the one a
// panel asked about). While a run goes on, a learner who has
// walked past the first moment keeps the step they walk through; back at the
// first moment (Home), the panel follows the newest step again. Buttons, the arrow keys (Home, End) and a
// play button walk; the token strip, or a click in the attention and
// probabilities panels (the follow hook), picks the position. Before any
// explanation the strip shows the shown step's document (live or in time
// travel), so a click there starts the walk; positions are microgpt's pos_id,
// from 0, clamped to the shown step's document; a failure is said in the
// panel's own words (the engine's message goes to data-problem).
//
// The element publishes data-step, data-position, data-moment ("forward",
// "backward" or "update"), data-stage and data-moments (how many).
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { createReads } from "../draw/reads.js";
import { modelOf } from "../draw/model.js";
import { createSource } from "../draw/source.js";
import { OPTIMIZER } from "../draw/stage-diagram.js";
import { tokenLabels } from "../draw/tokens.js";
import { createMomentView, momentsOf } from "./follow-moments.js";

const PLAY_MS = 1400;
// While a run goes on, explaining its newest step costs the worker a rerun of
// that step (most of a step with the scalar engine): at most a tenth of the time.
const READ_SHARE = 0.1;
const NO_STEP = "No step to follow yet: press Step (S) or Run (R), then pick a position here.";
const RECORDING = "This is the recorded run that plays while Python starts: once the lab is ready, start a session and follow one of its tokens.";

function createDom(el, schema) {
  const tokens = element("div", { className: "follow-tokens", role: "group", "aria-label": "Position to follow" });
  const stageButton = (text, label, keys) => element("button", { type: "button", textContent: text, "aria-label": label, "aria-keyshortcuts": keys });
  const prev = stageButton("◀", "Previous stage", "ArrowLeft");
  const next = stageButton("▶", "Next stage", "ArrowRight");
  // Play's name is what it shows (Play, Hold): a toggle, aria-pressed.
  const play = element("button", { type: "button", textContent: "Play", title: "Step through the stages by themselves", "aria-pressed": "false" });
  const where = element("span", { className: "panel-info", "aria-live": "polite" });
  const controls = element("div", { className: "panel-controls follow-controls" }, prev, next, play, where);
  const message = element("p", { className: "panel-readout follow-message", textContent: NO_STEP });
  const view = createMomentView(createSource(schema.source));
  el.append(tokens, controls, message, view.el);
  return { tokens, prev, next, play, where, message, view, steady: steadyHeight(view.el) };
}

// While one explanation is walked, the moments' view keeps the tallest
// height it had (at its width): the panels below stay where they are
// instead of moving, and being laid out again, at each moment.
function steadyHeight(el) {
  let walked = null;
  let width = 0;
  let tallest = 0;
  new ResizeObserver(([entry]) => {
    const { inlineSize, blockSize } = entry.borderBoxSize[0];
    if (inlineSize !== width) { // at another width the moments have other heights
      width = inlineSize;
      tallest = 0;
      el.style.minHeight = "";
    }
    tallest = Math.max(tallest, blockSize);
  }).observe(el);
  return {
    // walk: what is walked (null: nothing); another walk starts from its own height.
    hold(walk) {
      if (walk !== walked) tallest = 0;
      walked = walk;
      el.style.minHeight = walk && tallest ? `${tallest}px` : "";
    },
  };
}

// Which walk an explanation is: its step, position and document (a new one starts the walk anew).
const walkOf = (answer) => `${answer.step} ${answer.position} ${answer.doc}`;

// The token strip of a document ({tokens, position}: the followed one, or -1):
// position p (pos_id) reads tokens[p] and predicts tokens[p + 1].
function renderTokens(dom, shown, label, onPick) {
  const n = shown ? shown.tokens.length - 1 : 0;
  dom.tokens.replaceChildren(...Array.from({ length: n }, (_, p) => {
    const b = element("button", { type: "button", className: "tok", textContent: label(shown.tokens[p]),
                                  "aria-label": `position ${p}: ${label(shown.tokens[p])} predicts ${label(shown.tokens[p + 1])}`,
                                  "aria-pressed": String(p === shown.position) });
    b.addEventListener("click", () => onPick(p));
    return b;
  }));
}

export function create(el, { schema, explain = () => {}, requestRead = () => {}, followed = () => {} }) {
  const dom = createDom(el, schema);
  const reads = createReads();
  // step: the step the followed position belongs to (null: the newest shown).
  const state = { position: 0, step: null, moment: 0, answer: null, moments: [], model: null, config: null,
                  label: tokenLabels([], schema.bos_label), vocab: [], playing: 0, wanted: null, drawn: null, fresh: true,
                  readAt: 0, readCost: 0, retry: 0,
                  shown: null, recording: false }; // shown: the shown step's {step, doc, tokens}, before it is explained

  function draw() {
    const { answer, moments } = state;
    const focused = document.activeElement;
    dom.prev.disabled = !answer || state.moment === 0;
    dom.next.disabled = !answer || state.moment >= moments.length - 1;
    // A disabled button loses focus; the keyboard walk goes on from its twin.
    if (focused === dom.next && dom.next.disabled) dom.prev.focus();
    if (focused === dom.prev && dom.prev.disabled) dom.next.focus();
    dom.play.disabled = !answer;
    const moment = answer ? moments[Math.min(state.moment, moments.length - 1)] : null;
    // Only a new answer or moment rebuilds the view (a resize must not take the focus away).
    const key = answer ? `${walkOf(answer)} ${state.moment}` : `${state.shown?.step} ${state.shown?.doc}`;
    if (key === state.drawn) return;
    state.drawn = key;
    renderTokens(dom, answer ?? (state.shown && { tokens: state.shown.tokens, position: -1 }), state.label, pick);
    Object.assign(el.dataset, {
      step: answer ? String(answer.step) : "", position: answer ? String(answer.position) : "",
      moment: moment ? moment.kind : "", stage: moment?.stage ? moment.stage.name : "", moments: String(moments.length),
    });
    dom.where.textContent = moment ? `step ${answer.step} · position ${answer.position} · ${state.moment + 1} of ${moments.length}: ${moment.title}` : "";
    dom.steady.hold(answer && walkOf(answer));
    dom.view.show(moment, answer, state);
    if (moment) explain(dom.view.el);
  }
  const frame = createFrame(draw);

  function go(index) {
    if (!state.answer) return;
    state.moment = Math.max(0, Math.min(state.moments.length - 1, index));
    if (state.moment === state.moments.length - 1) stop();
    if (state.moment === 0) { // back at the start: the newest step again
      state.step = null;
      requestRead();
    }
    frame.request();
  }
  function stop() {
    clearInterval(state.playing);
    state.playing = 0;
    dom.play.textContent = "Play";
    dom.play.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (state.playing) return stop();
    if (state.moment >= state.moments.length - 1) state.moment = -1;
    dom.play.textContent = "Hold";
    dom.play.setAttribute("aria-pressed", "true");
    state.playing = setInterval(() => go(state.moment + 1), PLAY_MS);
    go(state.moment + 1);
  }
  function pick(position) {
    state.position = position;
    state.step = state.shown ? state.shown.step : null; // a position of the strip's own step
    state.fresh = true;
    requestRead();
  }

  dom.prev.addEventListener("click", () => go(state.moment - 1));
  dom.next.addEventListener("click", () => go(state.moment + 1));
  dom.play.addEventListener("click", play);
  el.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || !state.answer) return;
    const moves = { ArrowLeft: state.moment - 1, ArrowRight: state.moment + 1, Home: 0, End: state.moments.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    stop();
    go(moves[event.key]);
  });

  function showAnswer(answer) {
    const same = state.answer && walkOf(state.answer) === walkOf(answer);
    if (same && state.wanted === null) return; // the same explanation again: keep what the learner reads and focuses
    state.answer = answer;
    state.position = answer.position;
    state.moments = momentsOf(state.model, answer);
    if (state.wanted !== null) {
      const index = state.moments.findIndex((m) => (state.wanted === OPTIMIZER ? m.kind === "update"
        : m.kind === "forward" && m.stage.name === state.wanted));
      if (index >= 0) state.moment = index;
      state.wanted = null;
    }
    dom.message.textContent = "";
    delete el.dataset.problem;
    followed(answer);
    frame.request();
  }

  // The step shown (live or in time travel), its positions clamping the followed one, and what to do.
  function showStep(step) {
    state.shown = step?.tokens ? { step: step.step, doc: step.doc, tokens: step.tokens } : null;
    if (state.shown) state.position = Math.max(0, Math.min(state.position, state.shown.tokens.length - 2));
    if (!state.answer) dom.message.textContent = emptyText();
    frame.request();
  }
  function emptyText() {
    if (state.recording) return RECORDING;
    if (!state.shown) return NO_STEP;
    return `Step ${state.shown.step} trained on “${state.shown.doc}”: pick one of its positions above to follow it through the model.`;
  }

  return {
    reset({ recording, record, steps = [], travel = null }) {
      reads.forget();
      stop();
      state.step = null;
      state.vocab = record?.vocab ?? [];
      state.config = record?.config ?? null;
      state.model = modelOf(record);
      state.label = tokenLabels(state.vocab, schema.bos_label);
      state.answer = null;
      state.fresh = true;
      state.recording = recording;
      state.drawn = null;
      showStep(steps.findLast((event) => travel === null || event.step <= travel) ?? null);
    },
    show(event) {
      if (event.tokens) showStep(event);
      if (!(state.moment > 0 || state.playing)) state.step = null; // walking through a step: it is kept
    },
    async read(model) {
      const since = performance.now() - state.readAt;
      clearTimeout(state.retry);
      // A learner walking through a step keeps it while a run goes on; back at its first moment, the newest is followed.
      if (!state.fresh && state.answer && (state.moment > 0 || state.playing)) return;
      if (!state.fresh && state.answer && since * READ_SHARE < state.readCost) {
        state.retry = setTimeout(requestRead, state.readCost / READ_SHARE - since); // the newest step, a little later
        return;
      }
      if (!state.shown || state.recording) return; // nothing to explain: the panel says why
      state.fresh = false;
      const start = performance.now();
      const outcome = await reads.ask(model, "explain", { position: state.position, step: state.step });
      if (!outcome) return;
      state.readAt = performance.now();
      state.readCost = state.readAt - start;
      if (outcome.answer) showAnswer(outcome.answer);
      else {
        el.dataset.problem = outcome.missing || outcome.error;
        dom.message.textContent = outcome.missing || `Step ${state.shown.step} could not be explained in this tab just now: `
          + "pick a position above to try again.";
      }
    },
    // Another panel asks to follow a position (and to open at a stage).
    follow({ position = state.position, stage = null, step = null }) {
      state.position = position;
      state.step = step;
      state.wanted = stage;
      state.fresh = true;
      if (stage && state.answer) showAnswer(state.answer);
      el.scrollIntoView({ block: "nearest" });
      dom.next.focus({ preventScroll: true });
      requestRead();
    },
    ...frameLifecycle(el, frame),
  };
}
