// Chapter 3: counting. The counting bigram of the training names, from the
// engine (Session.bigram(): the counts of every pair a step scores, each
// row's probabilities, and its loss): the counts as a heat grid, one row's
// next-token probabilities, and names sampled from the counts.
// The element publishes data-loss and data-samples.
import { createHeat } from "../../draw/heat.js";
import { charLabel } from "../../draw/tokens.js";
import { element, fixed, latestOnly } from "./common.js";

const TOP = 6;

export function create({ engine }) {
  const el = element("div", "bigram-widget");
  const said = element("p", "hint");
  said.setAttribute("aria-live", "polite");
  const heat = createHeat("bigram counts");
  const rowLabel = element("label", "lesson-field inline", "After the token ");
  const row = element("select");
  rowLabel.append(row, " the counts say:");
  const next = element("ol", "next-tokens");
  const go = Object.assign(element("button", "", "Sample 10 names from the counts"), { type: "button" });
  const samples = element("p", "bigram-samples");
  samples.setAttribute("aria-live", "polite");
  el.append(said, heat.el, rowLabel, next, go, samples);
  let bigram = null;
  let labels = [];

  function showRow() {
    const r = Number(row.value);
    const probs = bigram.probs[r];
    const order = probs.map((p, k) => k).sort((a, b) => probs[b] - probs[a]).slice(0, TOP);
    next.replaceChildren(...order.map((k) => element("li", "", `${labels[k]}: ${fixed(probs[k], 3)} (${bigram.counts[r][k]} times)`)));
  }

  const load = latestOnly((answer) => {
    bigram = answer;
    labels = [...answer.vocab.map(charLabel), "BOS"];
    el.dataset.loss = String(answer.loss);
    said.textContent = `The counts of every pair of neighbours in the ${answer.num_docs ?? ""} training names: `
      + "row = the token, column = the token after it.";
    heat.show(answer.counts, { name: "count", cols: labels, rowNames: labels, title: "How often each token (row) is followed by each (column)" });
    row.replaceChildren(...labels.map((label, k) => Object.assign(element("option", "", label), { value: String(k) })));
    row.value = String(labels.indexOf("q") >= 0 ? labels.indexOf("q") : 0);
    showRow();
  }, (error) => {
    said.textContent = `The engine has no counting bigram here: ${error.message}`;
  });
  load(() => engine.askData("bigram"));
  row.addEventListener("change", showRow);
  go.addEventListener("click", async () => {
    try {
      const answer = await engine.askData("bigram_samples", { num_samples: 10, seed: Math.floor(Math.random() * 2 ** 31) });
      samples.textContent = answer.samples.join(", ");
      el.dataset.samples = JSON.stringify(answer.samples);
    } catch (error) {
      samples.textContent = error.message;
    }
  });

  return {
    el,
    async answer() {
      const { loss } = await engine.askData("bigram");
      const { uniform_loss: uniform } = await engine.askData("tokens", { text: "" });
      const value = loss > uniform ? "above" : loss > 2.8 ? "2.8-3.3" : loss > 2.2 ? "2.2-2.8" : "below";
      return { value, text: `The engine: counting scores ${fixed(loss)} nats over the training names, against the uniform `
        + `guess's ${fixed(uniform)}. Knowing only the current token already buys ${fixed(uniform - loss, 2)} nats.` };
    },
  };
}
