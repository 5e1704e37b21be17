// Counting bigram: what the model that only counts knows, as the engine
// counted it (Session.bigram of the shown session's training documents,
// read once per session through stored.bigram): for each token (a row), how
// often each next token (a column) follows it at the positions a training
// step scores, or those counts divided by the row's total, the
// probabilities it predicts with. Each cell is readable on hover and
// keyboard focus (draw/heat.js); the line above it gives its loss, the loss
// chart's bigram line.
//
// The element publishes data-session, data-show ("counts" or "probs"),
// data-loss, data-labels (JSON, the rows' and columns' tokens) and
// data-counts (JSON, each token's row as the engine counted it: {next, counts}).
import { bigramPair, bigramRows, shownBigram } from "../draw/bigram.js";
import { element } from "../draw/dom.js";
import { createHeat } from "../draw/heat.js";
import { uniformLoss } from "../draw/references.js";
import { tokenLabels } from "../draw/tokens.js";

const SHOWS = { counts: "counts", probs: "probabilities (each row sums to 1)" };
const NOT_COUNTED = {
  none: "The counting bigram shows once a session is open: the engine counts its documents.",
  asking: "Counting…",
  missing: "This session's documents are not in this browser (an imported trace): there is nothing to count.",
};

function createDom(el) {
  const show = element("select", {}, ...Object.entries(SHOWS).map(([value, text]) => new Option(text, value)));
  const controls = element("div", { className: "panel-controls" }, element("label", { className: "panel-field" }, "Show ", show));
  const summary = element("p", { className: "panel-readout bigram-summary" });
  const heat = createHeat("Which token follows which");
  heat.el.classList.add("bigram-heat");
  el.append(controls, summary, heat.el);
  return { show, summary, heat };
}

const count = (n) => n.toLocaleString("en");

export function create(el, { schema, stored = null, explain = () => {} }) {
  const dom = createDom(el);
  const state = { session: null, record: null };
  const counted = shownBigram(stored, draw);

  function draw() {
    const { bigram } = counted;
    el.dataset.session = state.session ?? "";
    el.dataset.show = dom.show.value;
    el.dataset.loss = bigram ? String(bigram.loss) : "";
    dom.heat.el.hidden = !bigram;
    if (!bigram) {
      dom.summary.textContent = NOT_COUNTED[counted.state] ?? `The counting bigram could not be counted: ${counted.error}`;
      delete el.dataset.counts;
      return;
    }
    const label = tokenLabels(state.record?.vocab ?? [], schema.bos_label);
    const labels = bigram.rows.map((_, id) => label(id));
    const counts = bigram.rows.map(({ next, counts: seen }) => ({ next, counts: seen }));
    Object.assign(el.dataset, { labels: JSON.stringify(labels), counts: JSON.stringify(counts) });
    dom.summary.textContent = `Counted over ${count(bigram.positions)} positions of ${count(bigram.num_docs)} training `
      + `documents. Its loss is ${bigram.loss.toFixed(4)} nats (the uniform guess: ${uniformLoss(labels.length).toFixed(4)}): `
      + "the counting bigram line of the Loss panel, which a trained model has to get below.";
    explain(dom.summary);
    const probs = dom.show.value === "probs";
    dom.heat.show(bigramRows(bigram, probs ? "probs" : "counts"), {
      name: probs ? "p" : "count", cols: labels, rowNames: labels, header: true,
      format: probs ? (p) => p.toFixed(3) : count,
      title: `Rows: a token; columns: the token after it. ${probs ? "The probability" : "How often"}: the redder, the more.`,
      say(r, c) {
        const pair = bigramPair(bigram, r, c);
        return `${labels[r]} → ${labels[c]}: ${count(pair.count)} of the ${count(pair.total)} pairs after ${labels[r]}, `
          + `probability ${pair.prob.toFixed(3)}`;
      },
    });
  }

  dom.show.addEventListener("change", draw);
  draw();
  return {
    reset({ session, record }) {
      state.record = record ?? null;
      state.session = session;
      counted.show(session);
    },
  };
}
