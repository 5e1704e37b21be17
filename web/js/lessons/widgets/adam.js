// Chapter 8: Adam against SGD. The Adam rung (microgpt as it is) trained
// in place beside the four-head SGD rung, the same model; and one weight of
// each at a step the learner picks: the model rebuilt at that step (time
// travel's, sessions.model(id, step)) explains its first position
// (Session.explain), whose wte row is BOS's, read at every step: the
// weight before the update, its gradient, Adam's m and v (SGD keeps none),
// the step taken and that step's learning rate.
// The element publishes data-weights (JSON {rung: the numbers shown}).
import { element } from "../../draw/dom.js";
import { LAST_STEPS, createRungChart } from "../rung-chart.js";
import { fixed, latestOnly, numberField } from "./common.js";

const KEYS = ["four-heads", "adam"];

const shown = (value) => (value === null || value === undefined ? "none: SGD keeps no memory"
  : value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(3) : fixed(value, 5));

export function create(ctx) {
  const { sessions, rungs } = ctx;
  const el = element("div", { className: "adam-widget" });
  const chart = createRungChart(ctx, { keys: KEYS, own: "adam" });
  const picker = element("div", { className: "check-picker" });
  const step = numberField("at step", 50, { min: 1 }); // its bounds: the rungs' steps and a row's size, as read
  const column = numberField("column", 0);
  const go = element("button", { textContent: "Read this weight", type: "button" });
  picker.append(step.el, column.el, go);
  const said = element("p", { className: "hint" });
  said.setAttribute("aria-live", "polite");
  const table = element("table", { className: "check-table" });
  const lab = element("p", { className: "hint", textContent: "Then see why SGD needs more: " });
  const slow = element("a", { textContent: "SGD at microgpt's 0.01, in the lab" });
  slow.href = "./?optimizer=sgd&learning_rate=0.01"; // the lab's share link: the form filled, nothing started
  lab.append(slow, " (the form is filled; New session trains it).");
  el.append(chart.el, element("h4", { textContent: "One weight, in each rung" }), picker, said, table, lab);

  const show = latestOnly((found) => {
    el.dataset.weights = JSON.stringify(found);
    const keys = Object.keys(found);
    table.replaceChildren();
    if (!keys.length) {
      said.textContent = "Train the rungs to read their weights.";
      return;
    }
    const first = found[keys[0]];
    said.textContent = `wte[${first.row}][${first.col}], the row of BOS, which every name's first position reads, at step ${first.step}:`;
    const head = table.createTHead().insertRow();
    head.append(element("td"), ...keys.map((key) => element("th", { textContent: rungs.title(key), scope: "col" })));
    const body = table.createTBody();
    for (const [label, part] of [["weight before", "before"], ["gradient", "grad"], ["m", "m"], ["v", "v"],
                                 ["learning rate", "lr"], ["step taken", "update"]]) {
      const row = body.insertRow();
      row.append(element("th", { textContent: label, scope: "row" }));
      for (const key of keys) row.insertCell().textContent = shown(found[key][part]);
    }
  }, (error) => {
    said.textContent = error.message;
  });

  async function read() {
    const found = {};
    const at = Number(step.input.value);
    const c = Number(column.input.value);
    for (const key of KEYS) {
      const rung = await rungs.find(key);
      if (!rung || rung.step === 0) continue;
      step.input.max = String(rung.num_steps);
      if (!(at >= 1 && at <= rung.step)) throw new Error(`${rungs.title(key)} has taken ${rung.step} steps: pick a step from 1 to ${rung.step}`);
      // The model as it was at that step, which took that step in this worker: it can explain it.
      const model = await sessions.model(rung.id, at);
      if (model.missing) throw new Error(model.missing);
      const explained = await model.ask("explain", { position: 0 });
      const wte = explained.weights.wte;
      column.input.max = String(wte.before.length - 1);
      if (!(c >= 0 && c < wte.before.length)) throw new Error(`a row of wte has ${wte.before.length} numbers: pick a column below ${wte.before.length}`);
      found[key] = { step: explained.step, row: wte.row, col: c, before: wte.before[c], grad: wte.grad[c],
                     m: wte.m?.[c] ?? null, v: wte.v?.[c] ?? null, lr: explained.update.lr, update: wte.after[c] - wte.before[c] };
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
        return { waiting: "Train both rungs to their last step (the SGD one in chapter 7): the answer is on the chart." };
      }
      const value = Math.abs(sgd.mean - adam.mean) < 0.01 ? "same" : adam.mean < sgd.mean ? "adam" : "sgd";
      return { value, text: `The mean loss of their last ${LAST_STEPS} steps: Adam ${fixed(adam.mean, 3)}, SGD ${fixed(sgd.mean, 3)}.` };
    },
    destroy: () => chart.destroy(),
  };
}
