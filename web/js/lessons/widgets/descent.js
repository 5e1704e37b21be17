// Chapter 4: the learned bigram (n_layer 0, SGD) trained in place, its
// smoothed loss falling toward the counting line; and one weight's
// gradient two ways, on the document the next step trains on: the
// engine's backpropagation against nudging the weight by h each way and
// measuring the loss again (lessons.gradient_check). The weights are the
// rung's as it trains, or a fresh model of its config before it exists.
// The element publishes data-check (JSON of the engine's answer).
import { element } from "../../draw/dom.js";
import { LAST_STEPS, createRungChart } from "../rung-chart.js";
import { rungModel } from "../rung-model.js";
import { fixed, latestOnly, numberField } from "./common.js";

const MATRICES = ["wte", "wpe", "lm_head"]; // every config has them
const STEPS = [0.1, 0.01, 0.001, 1e-5, 1e-7];

function checkTable(answer) {
  const table = element("table", { className: "check-table" });
  const rows = [
    [`${answer.name}[${answer.row}][${answer.col}]`, fixed(answer.weight, 6)],
    [`loss with it + h (h = ${answer.h})`, fixed(answer.loss_plus, 9)],
    [`loss with it - h`, fixed(answer.loss_minus, 9)],
    ["nudged: (loss₊ - loss₋) / 2h", fixed(answer.numerical, 9)],
    ["backpropagated gradient", fixed(answer.analytic, 9)],
    ["difference", answer.numerical - answer.analytic === 0 ? "0" : (answer.numerical - answer.analytic).toExponential(2)],
  ];
  for (const [label, value] of rows) {
    const row = table.insertRow();
    row.append(element("th", { textContent: label, scope: "row" }));
    row.insertCell().textContent = value;
  }
  return table;
}

export function create(ctx) {
  const el = element("div", { className: "descent-widget" });
  const chart = createRungChart(ctx, { keys: ["bigram"], own: "bigram" });
  const section = element("section", { className: "gradient-check" });
  section.setAttribute("aria-label", "One weight's gradient, two ways");
  const picker = element("div", { className: "check-picker" });
  const matrixLabel = element("label", { className: "lesson-field inline", textContent: "matrix " });
  const matrix = element("select");
  matrix.append(...MATRICES.map((name) => element("option", { textContent: name, value: name })));
  matrixLabel.append(matrix);
  const row = numberField("row", 0); // their bounds: the matrix's shape, from the engine's answer
  const col = numberField("column", 0);
  const hLabel = element("label", { className: "lesson-field inline", textContent: "h " });
  const h = element("select");
  h.append(...STEPS.map((step) => element("option", { textContent: String(step), value: String(step), selected: step === 1e-5 })));
  hLabel.append(h);
  const go = element("button", { textContent: "Nudge it and compare", type: "button" });
  picker.append(matrixLabel, row.el, col.el, hLabel, go);
  const said = element("p", { className: "hint" });
  said.setAttribute("aria-live", "polite");
  const out = element("div", { className: "check-out" });
  section.append(element("h4", { textContent: "One weight's gradient, two ways" }), picker, said, out);
  el.append(chart.el, section);

  const show = latestOnly(({ answer, where }) => {
    el.dataset.check = JSON.stringify(answer);
    row.input.value = String(answer.row);
    [row.input.max, col.input.max] = answer.shape.map((size) => String(size - 1));
    said.textContent = `On ${where}, its next document "${answer.doc}" (loss ${fixed(answer.loss)}); `
      + `its tokens ${answer.labels.map((label, k) => `${label} ${answer.tokens[k]}`).join(", ")} `
      + "are the rows of wte (and lm_head) it reads:";
    out.replaceChildren(checkTable(answer));
  }, (error) => {
    said.textContent = error.message;
    out.replaceChildren();
  });
  // row null: the engine picks a row the document's first position reads (its gradient is not 0)
  const check = (chosenRow) => show(async () => {
    const model = await rungModel(ctx, "bigram");
    const answer = await model.ask("gradient_check", { name: matrix.value, row: chosenRow, col: Number(col.input.value),
                                                       h: Number(h.value) });
    return { answer, where: model.where };
  });
  go.addEventListener("click", () => check(Number(row.input.value)));
  matrix.addEventListener("change", () => check(null));
  check(null);

  return {
    el,
    hear: (message) => chart.hear(message),
    async answer() {
      const final = chart.final("bigram");
      const { uniform, bigram } = chart.lines;
      if (!final || final.step < final.num_steps || final.mean === null) {
        return { waiting: "Train the rung to its last step: the answer is where its loss ends." };
      }
      const value = final.mean > uniform ? "above" : bigram !== null && final.mean <= bigram ? "counting" : "between";
      return { value, text: `After ${final.step} steps the mean loss of its last ${LAST_STEPS} steps is ${fixed(final.mean, 3)}; the uniform guess `
        + `is ${fixed(uniform, 3)}${bigram === null ? "" : ` and counting ${fixed(bigram, 3)}`}. The learned bigram is not only `
        + "a bigram: it also reads the position (wpe), which counting does not." };
    },
    destroy: () => chart.destroy(),
  };
}
