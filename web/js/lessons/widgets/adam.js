// Chapter 8: Adam against SGD. The Adam rung (microgpt as it is) trained
// in place beside the four-head SGD rung, the same model; and one weight of
// each as its last step left it (the inspector's matrix probe): its
// gradient, Adam's m and v (SGD keeps none), and the step it took.
// The element publishes data-weights (JSON {rung: the probe's numbers}).
import { RUNGS } from "../rungs.js";
import { LAST_STEPS, createRungChart } from "../rung-chart.js";
import { element, fixed, latestOnly } from "./common.js";

const KEYS = ["four_heads", "adam"];
const MATRICES = ["wte", "wpe", "lm_head"];

const shown = (value) => (value === null || value === undefined ? "none kept"
  : Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(3) : fixed(value, 5));

export function create(ctx) {
  const { sessions, rungs } = ctx;
  const el = element("div", "adam-widget");
  const chart = createRungChart(ctx, { keys: KEYS, own: "adam" });
  const picker = element("div", "check-picker");
  const matrixLabel = element("label", "lesson-field inline", "matrix ");
  const matrix = element("select");
  matrix.append(...MATRICES.map((name) => Object.assign(element("option", "", name), { value: name })));
  matrixLabel.append(matrix);
  const fields = ["row", "column"].map((label, k) => {
    const wrap = element("label", "lesson-field inline", `${label} `);
    const input = Object.assign(element("input"), { type: "number", min: "0", step: "1", value: k ? "0" : "4" });
    wrap.append(input);
    picker.append(wrap);
    return input;
  });
  picker.prepend(matrixLabel);
  const go = Object.assign(element("button", "", "Read this weight"), { type: "button" });
  picker.append(go);
  const said = element("p", "hint");
  said.setAttribute("aria-live", "polite");
  const table = element("table", "check-table");
  el.append(chart.el, element("h4", "", "One weight, in each rung"), picker, said, table);

  const show = latestOnly((found) => {
    el.dataset.weights = JSON.stringify(found);
    const keys = Object.keys(found);
    table.replaceChildren();
    if (!keys.length) {
      said.textContent = "Train the rungs to read their weights.";
      return;
    }
    said.textContent = `${matrix.value}[${fields[0].value}][${fields[1].value}] after each rung's last step:`;
    const head = table.createTHead().insertRow();
    head.append(element("th"), ...keys.map((key) => Object.assign(element("th", "", `${RUNGS[key].name} (step ${found[key].step})`), { scope: "col" })));
    const body = table.createTBody();
    for (const [label, part] of [["weight", "weight"], ["gradient", "grad"], ["m", "m"], ["v", "v"], ["step taken", "update"]]) {
      const row = body.insertRow();
      row.append(Object.assign(element("th", "", label), { scope: "row" }));
      for (const key of keys) row.insertCell().textContent = shown(found[key][part]);
    }
  }, (error) => {
    said.textContent = error.message;
  });

  async function read() {
    const found = {};
    for (const key of KEYS) {
      const rung = await rungs.find(key);
      if (!rung || rung.step === 0) continue;
      // The model rebuilt at its step (time travel's), which took that step in this
      // worker: its gradient and update are known even after a reload.
      const model = await sessions.model(rung.id, rung.step);
      if (model.missing) continue;
      const answer = await model.ask("matrix", { name: matrix.value });
      const [rows, cols] = answer.shape;
      const r = Number(fields[0].value);
      const c = Number(fields[1].value);
      if (!(r >= 0 && r < rows && c >= 0 && c < cols)) throw new Error(`${matrix.value} is ${rows} x ${cols}: pick a row below ${rows} and a column below ${cols}`);
      const i = r * cols + c;
      const at = (list) => (list ? list[i] : null);
      found[key] = { step: answer.step, weight: at(answer.weights), grad: at(answer.grads), m: at(answer.m), v: at(answer.v),
                     update: at(answer.update) };
    }
    return found;
  }
  go.addEventListener("click", () => show(read));
  show(read);

  return {
    el,
    hear: (message) => chart.hear(message),
    async answer() {
      const [sgd, adam] = KEYS.map((key) => chart.final(key));
      if (![sgd, adam].every((final) => final && final.step >= final.num_steps && final.mean !== null)) {
        return { waiting: "Train both rungs to their last step: the answer is on the chart." };
      }
      const value = Math.abs(sgd.mean - adam.mean) < 0.02 ? "same" : adam.mean < sgd.mean ? "adam" : "sgd";
      return { value, text: `The mean loss of their last ${LAST_STEPS} steps: Adam ${fixed(adam.mean, 3)}, SGD ${fixed(sgd.mean, 3)}.` };
    },
    destroy: () => chart.destroy(),
  };
}
