// The config form, built from the one declarative table CONFIG_FIELDS
// (protocol.js). The form and the page URL (a shared link) both read and
// write it.
import { CONFIG_FIELDS, defaultConfig } from "./protocol.js";

export function createSettings(container) {
  const inputs = new Map();
  for (const field of CONFIG_FIELDS) {
    const label = document.createElement("label");
    label.className = "field";
    const caption = document.createElement("span");
    caption.textContent = field.label;
    let input;
    if (field.kind === "choice") {
      input = document.createElement("select");
      for (const choice of field.choices) {
        const option = document.createElement("option");
        option.value = choice;
        option.textContent = choice;
        input.append(option);
      }
    } else {
      input = document.createElement("input");
      input.type = "number";
      input.step = field.kind === "int" ? "1" : field.step || "any";
      if (field.min !== undefined && !field.exclusive_min) input.min = String(field.min);
      input.inputMode = field.kind === "int" ? "numeric" : "decimal";
    }
    input.name = field.name;
    input.id = `cfg-${field.name}`;
    input.value = String(field.default);
    label.append(caption, input);
    container.append(label);
    inputs.set(field.name, input);
  }

  // Parse the form: {config} or {error, field}. Only what JSON cannot carry is
  // checked here; ranges and n_embd % n_head are the engine's to check (its
  // messages name the field and the allowed range), so the rules live once.
  function read() {
    const config = {};
    for (const field of CONFIG_FIELDS) {
      const { value, problem } = parse(field, inputs.get(field.name).value);
      if (problem) return { error: `${field.name} ${problem}`, field: field.name };
      config[field.name] = value;
    }
    return { config };
  }

  function write(config) {
    for (const [name, value] of Object.entries(config)) {
      if (inputs.has(name)) inputs.get(name).value = String(value);
    }
  }

  // A shared link fills the form (it never starts anything). Returns the
  // link's dataset choice (or null) and its problems, each naming the
  // parameter: unknown, repeated or malformed ones are left out.
  function readUrl(search = location.search) {
    const params = new URLSearchParams(search);
    const problems = [];
    const values = {};
    for (const name of new Set(params.keys())) {
      if (!FIELDS.has(name) && name !== "dataset") problems.push(`unknown parameter "${name}" ignored`);
    }
    for (const [name, field] of FIELDS) {
      const given = params.getAll(name);
      if (!given.length) continue;
      if (given.length > 1) problems.push(`${name} is given ${given.length} times; the first is used`);
      const { value, problem } = parse(field, given[0]);
      if (problem) problems.push(`${name}=${JSON.stringify(given[0])}: ${problem}; kept ${inputs.get(name).value}`);
      else values[name] = value;
    }
    let dataset = params.get("dataset");
    if (dataset !== null && !SHARED_DATASETS.includes(dataset)) {
      problems.push(`dataset=${JSON.stringify(dataset)}: must be one of ${SHARED_DATASETS.join(", ")}; kept the bundled names`);
      dataset = null;
    }
    write(values);
    return { dataset, problems };
  }

  // The query string for `config` and a dataset choice (defaults left out).
  function query(config, dataset) {
    const defaults = defaultConfig();
    const params = new URLSearchParams();
    for (const field of CONFIG_FIELDS) {
      if (config[field.name] !== defaults[field.name]) params.set(field.name, String(config[field.name]));
    }
    if (SHARED_DATASETS.includes(dataset) && dataset !== SHARED_DATASETS[0]) params.set("dataset", dataset);
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  const link = (config, dataset) => new URL(query(config, dataset) || location.pathname, location.href).href;

  function writeUrl(config, dataset) {
    history.replaceState(null, "", query(config, dataset) || location.pathname);
  }

  function focus(name) {
    inputs.get(name)?.focus();
  }

  return { read, write, readUrl, writeUrl, link, focus };
}

const FIELDS = new Map(CONFIG_FIELDS.map((field) => [field.name, field]));

// Datasets a link can name (a file or pasted text stays in its browser).
export const SHARED_DATASETS = Object.freeze(["default", "makemore"]);

// One raw value of a field: {value} or {problem} (worded after the name).
function parse(field, raw) {
  const text = String(raw).trim();
  if (field.kind === "choice") {
    return field.choices.includes(text) ? { value: text } : { problem: `must be one of ${field.choices.join(", ")}` };
  }
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) return { problem: "must be a number" };
  if (field.kind === "int" && !Number.isInteger(value)) return { problem: "must be a whole number" };
  return { value };
}
