// Probe contexts: pin a prefix (say "em") and watch the model's next-character
// distribution after BOS + that prefix change across training: one line per
// most likely character (the top few at the latest step) and one for the rest,
// against the step. The empty prefix asks how a name starts.
//
// Reads the model (read(model): model.ask("next_token", {context})); each
// answer adds one point per line (an answer for a step already charted
// replaces it); pinning a context asks for a read at once. The run before
// is charted too, whatever was on screen: the same question asked of the
// model at step 0 and at each kept checkpoint (draw/run-history.js), up to
// the step shown while time travelling. Errors
// (characters outside the vocabulary, a prefix too long) are shown next to
// the input. For tests and the curious, the panel element carries
// data-context, data-points, data-steps and data-sums (comma-separated, one
// per point), data-top (the charted characters, space-separated) and
// data-error.
import { createChart } from "../draw/chart.js";
import { OKABE_ITO, theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { legendItem } from "../draw/legend.js";
import { createReads } from "../draw/reads.js";
import { createRunHistory } from "../draw/run-history.js";
import { tokenLabels } from "../draw/tokens.js";

const TOP_K = 5;
const LIMIT = 2000; // points kept; older ones are dropped

let nextId = 0;

function createForm(uid, bos) {
  const input = element("input", {
    id: `${uid}-context`, type: "text", spellcheck: false, autocomplete: "off",
    placeholder: "e.g. em", "aria-describedby": `${uid}-error`,
  });
  const error = element("span", { className: "probe-error", id: `${uid}-error`, "aria-live": "polite" });
  const form = element("form", { className: "panel-controls probe-form" },
                       element("label", { className: "panel-field", htmlFor: input.id,
                                          textContent: `Context after ${bos} (empty: the first letter)` }),
                       input, element("button", { type: "submit", textContent: "Pin" }), error);
  return { form, input, error };
}

function createProbeChart(parent) {
  const colour = (i) => () => (i < TOP_K ? OKABE_ITO[i] : theme().muted);
  return createChart(parent, {
    label: "Probability of each next character across training",
    height: 200,
    yTitle: "probability",
    series: Array.from({ length: TOP_K + 1 }, (_, i) => ({
      stroke: colour(i), width: i < TOP_K ? 2 : 1.5, dash: i < TOP_K ? undefined : [4, 3],
    })),
    yRange: () => [0, 1],
  });
}

// The token ids charted: the most likely ones at the latest point.
function topIds(points) {
  const last = points[points.length - 1];
  if (!last) return [];
  return last.probs.map((p, id) => [p, id]).sort((a, b) => b[0] - a[0]).slice(0, TOP_K).map(([, id]) => id);
}

// Each line's probabilities over the points: TOP_K lines (a smaller
// vocabulary leaves some empty), then the rest.
function lines(points, top) {
  const ys = top.map((id) => points.map((p) => p.probs[id]));
  while (ys.length < TOP_K) ys.push(points.map(() => null));
  ys.push(points.map((p) => 1 - top.reduce((sum, id) => sum + p.probs[id], 0)));
  return ys;
}

function legendItems(top, ys, label) {
  const last = ys[TOP_K].length - 1;
  const items = top.map((id, i) => legendItem(`“${label(id)}” ${ys[i][last].toFixed(3)}`, { colour: OKABE_ITO[i] }));
  items.push(legendItem(`rest ${ys[TOP_K][last].toFixed(3)}`, { colour: theme().muted, dashed: true }));
  return items;
}

function draw({ el, form, legend, chart, state }, bos) {
  const { points } = state;
  const top = topIds(points);
  Object.assign(el.dataset, {
    context: state.context,
    points: String(points.length),
    steps: points.map((p) => p.step).join(","),
    sums: points.map((p) => p.probs.reduce((s, x) => s + x, 0)).join(","),
    top: top.map((id) => state.label(id)).join(" "),
    error: state.error,
  });
  form.error.textContent = state.error;
  form.input.setAttribute("aria-invalid", state.error ? "true" : "false");
  const ys = lines(points, top);
  legend.replaceChildren(...(points.length ? legendItems(top, ys, state.label) : []));
  chart.set([points.map((p) => p.step), ...ys]);
  const after = state.context ? `“${state.context}”` : bos;
  chart.message(points.length ? "" : state.idle || `The chart grows as the model trains (next character after ${after}).`);
}

// One answer: a point per step, in step order, the latest answer for a step kept.
function add(points, { step, probs }) {
  const at = points.findLastIndex((point) => point.step <= step);
  if (at >= 0 && points[at].step === step) points[at] = { step, probs };
  else points.splice(at + 1, 0, { step, probs });
  if (points.length > LIMIT) points.splice(0, points.length - LIMIT);
}

export function create(el, { schema, stored, requestRead }) {
  const form = createForm(`probe${nextId++}`, schema.bos_label);
  const legend = element("ul", { className: "legend probe-legend" });
  const plotBox = element("div");
  el.append(form.form, legend, plotBox);
  const state = { context: "", points: [], error: "", idle: "", label: tokenLabels([], schema.bos_label),
                  session: null, upTo: Infinity };
  const panel = { el, form, legend, chart: createProbeChart(plotBox), state };
  const reads = createReads();
  const frame = createFrame(() => draw(panel, schema.bos_label));
  const past = createRunHistory(stored, "next_token", () => addPast());
  function addPast() {
    for (const answer of past.upTo(state.upTo)) add(state.points, answer);
    frame.request();
  }

  form.form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(state, { context: form.input.value, points: [], error: "" });
    reads.forget();
    past.load(state.session, { context: state.context });
    addPast();
    requestRead();
    frame.request();
  });

  return {
    reset({ session, record, travel }) {
      reads.forget();
      Object.assign(state, { label: tokenLabels(record?.vocab ?? [], schema.bos_label), points: [], idle: "",
                             session, upTo: travel ?? Infinity });
      if (travel == null) past.forget(); // shown afresh (a switch, back to live, a reset): asked again
      past.load(session, { context: state.context });
      addPast();
    },
    async read(model) {
      const outcome = await reads.ask(model, "next_token", { context: state.context });
      if (!outcome) return;
      state.error = outcome.error;
      state.idle = outcome.missing;
      if (outcome.answer) {
        add(state.points, outcome.answer);
        if (state.upTo === Infinity) past.grow(outcome.answer.step);
      }
      frame.request();
    },
    ...frameLifecycle(el, frame, panel.chart),
  };
}
