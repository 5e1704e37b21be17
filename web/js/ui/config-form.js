// The config form, built from the engine's own table of Config fields
// (schema.config: name, label, help, type, default, range). The form and the
// page URL (a shared link) both read and write it.

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
      if (!byName.has(name) && !LINK_EXTRAS.includes(name)) problems.push(`unknown parameter "${name}" ignored`);
    }
    for (const [name, field] of byName) {
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
  const label = document.createElement("label");
  label.className = "field";
  const caption = document.createElement("span");
  caption.textContent = field.label === field.name ? field.name : `${field.label} (${field.name})`;
  caption.dataset.noTerms = ""; // a term inside a label would take the click meant for its input
  const help = document.createElement("small");
  help.className = "field-help";
  help.id = `cfg-${field.name}-help`;
  help.textContent = field.help;
  let input;
  if (field.type === "choice") {
    input = document.createElement("select");
    for (const choice of field.choices) input.append(new Option(choice, choice));
  } else {
    input = document.createElement("input");
    input.type = "number";
    input.step = field.type === "int" ? "1" : "any";
    if (field.min !== undefined && !field.min_exclusive) input.min = String(field.min);
    if (field.max !== undefined) input.max = String(field.max);
    input.inputMode = field.type === "int" ? "numeric" : "decimal";
  }
  input.name = field.name;
  input.id = `cfg-${field.name}`;
  input.value = String(field.default);
  input.setAttribute("aria-describedby", help.id);
  label.append(caption, input, help);
  return { label, input };
}

// What a link may carry besides config fields: a dataset choice, an experiment (ui/experiments.js).
const LINK_EXTRAS = ["dataset", "experiment"];

// Datasets a link can name (a file or pasted text stays in its browser).
export const SHARED_DATASETS = Object.freeze(["default", "makemore"]);

// One raw value of a field: {value} or {problem} (worded after the name);
// the sweep (sweep.js) reads its values with it too.
// Only plain decimal numbers: Number() would also take " 1e1", "0x10" and
// "0b10", and round "4503599627370497.5" to a whole number.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+(\.0*)?$/;

export function parse(field, raw) {
  const text = String(raw);
  if (field.type === "choice") {
    return field.choices.includes(text) ? { value: text } : { problem: `must be one of ${field.choices.join(", ")}` };
  }
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) return { problem: "must be a number (plain decimal digits)" };
  if (field.type === "int" && !(WHOLE.test(text) && Number.isSafeInteger(value))) {
    return { problem: "must be a whole number (plain digits, below 2^53)" };
  }
  return { value };
}
