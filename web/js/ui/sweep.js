// A sweep: one setting of the config and a list of values. The lab trains
// one session per value, every other setting as the form says, all at once
// (sessions.trainSeveral: a worker each while there are free ones), and
// Compare runs overlays them with their differences named (actions.js).
//
//   const sweep = createSweep(el, { fields: schema.config });
//   sweep.plan(config)   // {field, configs: [config per value]} | {error}
//   sweepConfigs(config, field, "0.003, 0.01 0.03")  // the same, pure (tested under Node)
//   suggestedValues(field)                           // "0.003, 0.01, 0.03": what an empty list means
import { element } from "../draw/dom.js";
import { parse } from "./config-form.js";

export const MAX_RUNS = 8;

// Values worth comparing, as a starting point for each number setting.
const SUGGESTED = {
  learning_rate: "0.003, 0.01, 0.03", n_embd: "8, 16, 32", n_head: "1, 2, 4", n_layer: "0, 1, 2",
  block_size: "2, 4, 8, 16", num_steps: "250, 500, 1000", temperature: "0.3, 0.5, 1", seed: "1, 2, 3",
  held_out: "0, 0.1, 0.2",
};

// What an empty list of values sweeps: every choice of a choice or a
// switch (the optimizers, attention on and off), else values worth comparing.
export function suggestedValues(field) {
  if (field.type === "choice") return field.choices.join(", ");
  if (field.type === "bool") return "true, false";
  return SUGGESTED[field.name] ?? "1, 2, 3";
}

// One config per value of `field` in `text` (commas or spaces between them),
// the rest of `config` as it is: {field, configs} or {error} naming the
// problem. Ranges are the engine's to check (trainSeveral asks it first).
export function sweepConfigs(config, field, text) {
  if (!field || !(field.name in config)) return { error: "Pick the setting to sweep." };
  const raw = String(text).split(/[\s,;]+/).filter(Boolean);
  if (raw.length < 2) return { error: `A sweep of ${field.name} needs two values or more (for example ${suggestedValues(field)}).` };
  if (raw.length > MAX_RUNS) return { error: `A sweep trains at most ${MAX_RUNS} sessions at once; ${raw.length} values were given.` };
  const values = [];
  for (const item of raw) {
    const { value, problem } = parse(field, item);
    if (problem) return { error: `Sweep value ${JSON.stringify(item)}: ${field.name} ${problem}.` };
    if (values.includes(value)) return { error: `Sweep value ${item} is given twice.` };
    values.push(value);
  }
  return { field: field.name, configs: values.map((value) => ({ ...config, [field.name]: value })) };
}

export function createSweep(el, { fields }) {
  const choose = element("select", { id: "sweep-field" });
  for (const field of fields) choose.append(new Option(field.name, field.name)); // microgpt's names: short, as in the form
  choose.value = "learning_rate";
  const values = element("input", { id: "sweep-values", type: "text", spellcheck: false, autocomplete: "off" });
  const byName = new Map(fields.map((field) => [field.name, field]));
  const suggest = () => {
    values.placeholder = suggestedValues(byName.get(choose.value));
  };
  suggest();
  choose.addEventListener("change", suggest);
  const labelled = (text, input) => element("label", { className: "field" }, element("span", {}, text), input);
  el.append(labelled("Setting", choose), labelled("Values (empty: those shown)", values));
  return {
    plan: (config) => sweepConfigs(config, byName.get(choose.value), values.value || suggestedValues(byName.get(choose.value))),
    focus: () => values.focus(),
  };
}
