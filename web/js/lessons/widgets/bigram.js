// Chapter 3: counting. The counting bigram of the training names, from the
// engine (Session.bigram(): for each token, how often each token follows
// it at the positions a step scores, and those counts over their total),
// as a grid of probabilities, one row's next tokens with their counts, and
// names sampled from the counts (lessons.bigram_samples). Its loss is the
// question's answer, so the widget leaves it to the reveal.
// The element publishes data-loss and data-samples.
import { element } from "../../draw/dom.js";
import { createHeat } from "../../draw/heat.js";
import { charLabel } from "../../draw/tokens.js";
import { fixed, latestOnly } from "./common.js";

const TOP = 6;
const SAMPLES = 10;

export function create({ engine }) {
  const said = element("p", { className: "hint", "aria-live": "polite" });
  const heat = createHeat("bigram probabilities");
  const row = element("select");
  const rowLabel = element("label", { className: "lesson-field inline" }, "After ", row, " the counts say:");
  const next = element("ol", { className: "next-tokens" });
  const go = element("button", { type: "button", textContent: `Sample ${SAMPLES} names from the counts` });
  const samples = element("p", { className: "bigram-samples", "aria-live": "polite" });
  const el = element("div", { className: "bigram-widget" }, said, heat.el, rowLabel, next, go, samples);
  let bigram = null;
  let labels = [];

  function showRow() {
    const { next: ids, counts, probs, total } = bigram.rows[Number(row.value)];
    const order = ids.map((id, k) => k).sort((a, b) => counts[b] - counts[a]).slice(0, TOP);
    next.replaceChildren(...order.map((k) => element("li", { textContent: `${labels[ids[k]]}: ${fixed(probs[k], 3)} (${counts[k]} of ${total})` })));
  }

  const load = latestOnly(([answer, tokens]) => {
    bigram = answer;
    labels = [...tokens.vocab.map(charLabel), "BOS"];
    el.dataset.loss = String(answer.loss);
    said.textContent = `Counted over the ${answer.num_docs.toLocaleString("en")} training names' ${answer.positions.toLocaleString("en")} `
      + "scored positions: each row is a token, each cell the probability of the token after it (hover or focus for the number).";
    const grid = answer.rows.map((r) => {
      const dense = new Array(labels.length).fill(0);
      r.next.forEach((id, k) => {
        dense[id] = r.probs[k];
      });
      return dense;
    });
    heat.show(grid, { name: "p", cols: labels, rowNames: labels, title: "p(next token | token), by counting: a row per token, a column per next token (a to z, then BOS)" });
    row.replaceChildren(...labels.map((label, k) => element("option", { textContent: label, value: String(k) })));
    row.value = String(Math.max(0, labels.indexOf("q")));
    showRow();
  }, (error) => {
    said.textContent = `The engine has no counting bigram here: ${error.message}`;
  });
  load(() => Promise.all([engine.askData("bigram"), engine.askData("tokens", { text: "" })]));
  row.addEventListener("change", showRow);
  go.addEventListener("click", async () => {
    try {
      const answer = await engine.askData("bigram_samples", { num_samples: SAMPLES, seed: Math.floor(Math.random() * 2 ** 31) });
      samples.textContent = answer.samples.join(", ");
      el.dataset.samples = JSON.stringify(answer.samples);
    } catch (error) {
      samples.textContent = error.message;
    }
  });

  return {
    el,
    async answer() {
      const [{ loss }, { uniform_loss: uniform }] = await Promise.all([engine.askData("bigram"),
                                                                      engine.askData("tokens", { text: "" })]);
      const value = loss > uniform ? "above" : loss > 2.8 ? "2.8-3.3" : loss > 2.2 ? "2.2-2.8" : "below";
      return { value, text: `The engine: counting scores ${fixed(loss)} nats over the training names, against the uniform `
        + `guess's ${fixed(uniform)}: knowing the current token already buys ${fixed(uniform - loss, 2)} nats.` };
    },
  };
}
