// Chapter 6: one attention head. The one-head rung trained in place and
// overlaid on the learned bigram (chapter 4's), with both reference lines; and the
// learner's own name through it (lessons.attention_map): each position's
// attention weights over the positions up to it, from the rung as it
// trains (or a fresh, untrained one before it exists, whose weights are
// nearly even), and the probability each position gave the next letter.
// The element publishes data-attention (JSON: the head's rows).
import { element } from "../../draw/dom.js";
import { createHeat } from "../../draw/heat.js";
import { charLabel } from "../../draw/tokens.js";
import { LAST_STEPS, createRungChart } from "../rung-chart.js";
import { rungModel } from "../rung-model.js";
import { fixed, latestOnly, textField } from "./common.js";

export function create(ctx) {
  const el = element("div", { className: "attention-widget" });
  const chart = createRungChart(ctx, { keys: ["bigram", "one-head"], own: "one-head" });
  const field = textField("Your name, through the one-head rung", { value: "emma" });
  const go = element("button", { textContent: "Look at its attention", type: "button" });
  field.el.append(" ", go);
  const said = element("p", { className: "hint" });
  said.setAttribute("aria-live", "polite");
  const heat = createHeat("attention weights");
  heat.el.hidden = true;
  el.append(chart.el, field.el, said, heat.el);

  const show = latestOnly(({ answer, where }) => {
    const head = answer.attention[0]?.[0];
    if (!head) {
      said.textContent = `${where} has no attention to show.`;
      heat.el.hidden = true;
      return;
    }
    const labels = answer.labels.map((label) => (label === "BOS" ? label : charLabel(label)));
    const rows = labels.slice(0, head.length);
    heat.show(head, { name: "weight", cols: rows.map((label, p) => `${p} ${label}`), rowNames: rows,
                      title: `${where}: each row is a position, each cell how much it takes from a position up to it (a row sums to 1)` });
    heat.el.hidden = false;
    el.dataset.attention = JSON.stringify(head);
    said.textContent = `The probability each position gave the letter that came next: ${rows.map((label, p) => (
      `${label} → ${labels[p + 1]} ${fixed(answer.probs[p], 2)}`)).join(", ")}.`;
  }, (error) => {
    said.textContent = error.message;
    heat.el.hidden = true;
  });
  const look = () => show(async () => {
    const model = await rungModel(ctx, "one-head");
    return { answer: await model.ask("attention_map", { text: field.input.value }), where: model.where };
  });
  go.addEventListener("click", look);
  field.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") look();
  });
  look();

  return {
    el,
    hear: (message) => chart.hear(message),
    async answer() {
      const [bigram, head] = ["bigram", "one-head"].map((key) => chart.final(key));
      if (![bigram, head].every((final) => final && final.step >= final.num_steps && final.mean !== null)) {
        return { waiting: "Train both rungs to their last step (the learned bigram in chapter 4): the answer is on the chart." };
      }
      const gain = bigram.mean - head.mean;
      const value = gain >= 0.3 ? "0.3" : gain >= 0.1 ? "0.1" : gain > 0 ? "0" : "none";
      return { value, text: `The mean loss of their last ${LAST_STEPS} steps: the learned bigram ${fixed(bigram.mean, 3)}, `
        + `one head ${fixed(head.mean, 3)}, ${gain > 0 ? `${fixed(gain, 3)} lower` : "no lower"}. In 1,000 steps, one name each, `
        + "a head learns little of where to look: see how even its weights are on your name." };
    },
    destroy: () => chart.destroy(),
  };
}
