// Chapter 9: the learner's trained microgpt (the Adam rung) writes names at
// three temperatures (Session.sample, stored with the session as the lab's
// Sample does), each letter, and the end, shown with the probability the
// model gave it when it was drawn (lessons.name_probabilities).
// The element publishes data-samples (JSON {temperature: [names]}).
import { element } from "../../draw/dom.js";
import { createRungChart } from "../rung-chart.js";
import { fixed } from "./common.js";

export const TEMPERATURES = [0.5, 1.0, 1.5];
const PER_TEMPERATURE = 8;

function nameView(parts) {
  const letters = parts.map((part) => {
    const title = `${part.char === "end" ? "the end (BOS)" : part.char}: probability ${fixed(part.p, 3)}`;
    const letter = element("span", { className: "sampled-letter", title },
                           element("span", { className: "letter", textContent: part.char === "end" ? "·" : part.char }),
                           element("span", { className: "letter-p", textContent: fixed(part.p, 2) }));
    letter.style.setProperty("--p", String(part.p));
    return letter;
  });
  const text = parts.map((part) => `${part.char} ${fixed(part.p, 2)}`).join(", ");
  return element("li", { className: "sampled-name", "aria-label": text }, ...letters);
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export function create(ctx) {
  const { sessions, rungs } = ctx;
  const chart = createRungChart(ctx, { keys: ["adam"], own: "adam" });
  const go = element("button", { type: "button", textContent: `Write ${PER_TEMPERATURE} names at each temperature` });
  const said = element("p", { className: "hint", "aria-live": "polite" });
  const columns = element("div", { className: "sample-columns" });
  const el = element("div", { className: "sampling-widget" }, chart.el, go, said, columns);
  const drawn = new Map(); // temperature -> [{name, parts}]

  async function sample() {
    const found = await rungs.find("adam");
    if (!found) {
      said.textContent = "Train the rung first: the names come from your trained model.";
      return;
    }
    if (found.status === "running") {
      said.textContent = "The rung is training: pause it, or wait for its last step, then sample.";
      return;
    }
    go.disabled = true;
    said.textContent = "Sampling…";
    try {
      const model = await sessions.model(found.id);
      if (model.missing) throw new Error(model.missing);
      columns.replaceChildren();
      for (const temperature of TEMPERATURES) {
        const batch = await sessions.sample(found.id, PER_TEMPERATURE, temperature);
        const names = [];
        for (const name of batch.samples) {
          const answer = await model.ask("name_probabilities", { text: name, temperature });
          const parts = answer.end === null ? answer.chars : [...answer.chars, { char: "end", p: answer.end }];
          names.push({ name, parts });
        }
        drawn.set(temperature, names);
        columns.append(element("section", { className: "sample-column", "aria-label": `temperature ${temperature}` },
                               element("h4", { textContent: `temperature ${temperature}` }),
                               element("ol", { className: "sampled-names" }, ...names.map(({ parts }) => nameView(parts)))));
      }
      el.dataset.samples = JSON.stringify(Object.fromEntries([...drawn].map(([t, names]) => [t, names.map((n) => n.name)])));
      said.textContent = `Your model at step ${found.step}: each letter with the probability it had when it was drawn (· is the end).`;
      ctx.changed();
    } catch (error) {
      said.textContent = error.message;
    } finally {
      go.disabled = false;
    }
  }
  go.addEventListener("click", sample);

  return {
    el,
    hear: (message) => chart.hear(message),
    async answer() {
      const cold = drawn.get(TEMPERATURES[0]);
      const hot = drawn.get(TEMPERATURES[2]);
      if (!cold || !hot) return { waiting: "Write names at each temperature below: the answer is in them." };
      const probability = (names) => mean(names.flatMap((n) => n.parts.map((part) => part.p)));
      const distinct = (names) => new Set(names.map((n) => n.name)).size;
      const [pCold, pHot] = [probability(cold), probability(hot)];
      return { value: pCold > pHot ? "alike" : "varied",
               text: `At ${TEMPERATURES[0]} the letters drawn had a mean probability of ${fixed(pCold, 2)} and `
                 + `${distinct(cold)} of ${cold.length} names differed; at ${TEMPERATURES[2]}, ${fixed(pHot, 2)} and `
                 + `${distinct(hot)} of ${hot.length}. Sharper probabilities pick the same likely letters more often.` };
    },
    destroy: () => chart.destroy(),
  };
}
