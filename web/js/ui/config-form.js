// The config form, built from the engine's own table of Config fields
// (schema.config: name, label, help, type, default, range). The form and the
// page URL (a shared link) both read and write it. A field's type is "int",
// "float", "choice" (a select) or "bool" (a checkbox; true or false in a link).

import { element } from "../draw/dom.js";

export function createConfigForm(container, schema) {
  const fields = schema.config;
  const byName = new Map(fields.map((field) => [field.name, field]));
  const inputs = new Map();
  for (const field of fields) {
    const { label, input } = fieldElement(field);
    container.append(label);
    inputs.set(field.name, input);
  }

  // Parse the form: {config} or {error, field}. Only what JSON cannot carry is
  // checked here; ranges and n_embd % n_head are the engine's to check (its
  // messages name the field and the allowed range), so the rules live once.
  function read() {
    const config = {};
    for (const field of fields) {
      const { value, problem } = parse(field, rawValue(inputs.get(field.name)));
      if (problem) return { error: `${field.name} ${problem}`, field: field.name };
      config[field.name] = value;
    }
    return { config };
  }

  function write(config) {
    for (const [name, value] of Object.entries(config)) {
      const input = inputs.get(name);
      if (!input) continue;
      if (input.type === "checkbox") input.checked = value === true;
      else input.value = String(value);
    }
  }

  // A shared link fills the form (it never starts anything): `base` (an
  // experiment's settings) first, then the link's own values. Returns the
  // link's dataset choice (or null), the values it gave and its problems,
  // each naming the parameter, what they echo cut short: unknown, repeated
  // or malformed parameters are left out (ui/link.js reads the rest).
  function readUrl(search = location.search, base = null) {
    if (base) write(base);
    const params = new URLSearchParams(search);
    const problems = [];
    const values = {};
    const unknown = [...new Set(params.keys())].filter((name) => !byName.has(name) && !LINK_EXTRAS.includes(name));
    if (unknown.length === 1) problems.push(`unknown parameter ${named(unknown[0])} ignored`);
    if (unknown.length > 1) problems.push(`${unknown.length.toLocaleString("en")} unknown parameters ignored: ${listed(unknown)}`);
    for (const [name, field] of byName) {
      const given = params.getAll(name);
      if (!given.length) continue;
      const repeated = repetition(name, given);
      if (repeated) problems.push(repeated);
      const { value, problem } = parse(field, given[0]);
      if (problem) problems.push(`${name}=${shown(given[0])}: ${problem}; kept ${rawValue(inputs.get(name))}`);
      else values[name] = value;
    }
    const datasets = params.getAll("dataset");
    let dataset = datasets[0] ?? null;
    const repeated = repetition("dataset", datasets);
    if (repeated) problems.push(repeated);
    if (dataset !== null && !SHARED_DATASETS.includes(dataset)) {
      problems.push(`dataset=${shown(dataset)}: must be one of ${SHARED_DATASETS.join(", ")}; kept the bundled names`);
      dataset = "default";
    }
    write(values);
    return { dataset, values, problems };
  }

  // The query string for `config` and a dataset choice (defaults left out).
  function query(config, dataset) {
    const params = new URLSearchParams();
    for (const field of fields) {
      if (config[field.name] !== field.default) params.set(field.name, String(config[field.name]));
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

  return { read, write, readUrl, writeUrl, link, focus, input: (name) => inputs.get(name) };
}

// One field: its label ("Embedding size (n_embd)"), its input, and its
// plain sentence of help under it.
function fieldElement(field) {
  const caption = element("span", {
    textContent: field.label === field.name ? field.name : `${field.label} (${field.name})`,
    dataset: { noTerms: "" }, // a term inside a label would take the click meant for its input
  });
  const help = element("small", { className: "field-help", id: `cfg-${field.name}-help`, textContent: field.help });
  const common = { name: field.name, id: `cfg-${field.name}`, "aria-describedby": help.id };
  let input;
  if (field.type === "choice") {
    input = element("select", common, ...field.choices.map((choice) => new Option(choice, choice)));
  } else if (field.type === "bool") {
    input = element("input", { ...common, type: "checkbox", checked: field.default === true });
  } else {
    input = element("input", {
      ...common,
      type: "number",
      step: field.type === "int" ? "1" : "any",
      inputMode: field.type === "int" ? "numeric" : "decimal",
    });
    if (field.min !== undefined && !field.min_exclusive) input.min = String(field.min);
    if (field.max !== undefined) input.max = String(field.max);
  }
  if (field.type !== "bool") input.value = String(field.default);
  const label = element("label", { className: field.type === "bool" ? "field field-switch" : "field" }, caption, input, help);
  return { label, input };
}

// What a link may carry besides config fields: a dataset choice, an experiment (ui/experiments.js).
const LINK_EXTRAS = ["dataset", "experiment"];

// Datasets a link can name (a file or pasted text stays in its browser).
export const SHARED_DATASETS = Object.freeze(["default", "makemore"]);

const SHOWN = 60; // characters of a link's text echoed in a problem
const LISTED = 5; // names listed of many

// A link's text cut short, its length said: "abc..." (200,000 characters).
function cut(text, quoted) {
  const characters = [...text];
  if (characters.length <= SHOWN) return quoted(text);
  return `${quoted(characters.slice(0, SHOWN).join(""))}... (${characters.length.toLocaleString("en")} characters)`;
}

// A value as a problem echoes it: as JSON writes it (quotes, control characters escaped), cut short.
export const shown = (value) => cut(value, JSON.stringify);

// A parameter's name as a problem echoes it: in quotes, as it is, cut short.
const named = (name) => cut(name, (text) => `"${text}"`);

// Several parameters' names, the first few shown.
function listed(names) {
  const first = names.slice(0, LISTED).map(named).join(", ");
  return names.length > LISTED ? `${first} and ${(names.length - LISTED).toLocaleString("en")} more` : first;
}

// "<name> is given 3 times; the first is used", or null.
export const repetition = (name, given) => (given.length > 1
  ? `${name} is given ${given.length.toLocaleString("en")} times; the first is used` : null);

// One raw value of a field: {value} or {problem} (worded after the name);
// the sweep (sweep.js) reads its values with it too.
// Only plain decimal numbers: Number() would also take " 1e1", "0x10" and
// "0b10", and round "4503599627370497.5" to a whole number.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+(\.0*)?$/;

// What a field holds as text: a checkbox's "true" or "false", as a link writes it.
const rawValue = (input) => (input.type === "checkbox" ? String(input.checked) : input.value);

export function parse(field, raw) {
  const text = String(raw);
  if (field.type === "choice") {
    return field.choices.includes(text) ? { value: text } : { problem: `must be one of ${field.choices.join(", ")}` };
  }
  if (field.type === "bool") {
    return text === "true" || text === "false" ? { value: text === "true" } : { problem: "must be true or false" };
  }
  const value = Number(text);
  if (!DECIMAL.test(text)) return { problem: "must be a number (plain decimal digits)" };
  // Beyond what a float64 holds, in either direction: said as what it is, not as the 0 or Infinity it becomes.
  if (!Number.isFinite(value)) return { problem: "must be a number a computer can hold: it is over 1.8e308, the largest" };
  if (value === 0 && /[1-9]/.test(text.split(/[eE]/)[0])) {
    return { problem: "must be a number a computer can hold: it is below 5e-324, the smallest above 0, and would be 0" };
  }
  if (field.type === "int" && !(WHOLE.test(text) && Number.isSafeInteger(value))) {
    return { problem: "must be a whole number (plain digits, below 2^53)" };
  }
  return { value };
}
