// The config form, built from the one declarative table CONFIG_FIELDS
// (protocol.js). The form and the page URL both read and write it.
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
      const raw = inputs.get(field.name).value.trim();
      if (field.kind === "choice") {
        if (!field.choices.includes(raw)) return { error: `${field.name} must be one of ${field.choices.join(", ")}`, field: field.name };
        config[field.name] = raw;
        continue;
      }
      const value = Number(raw);
      if (raw === "" || !Number.isFinite(value)) return { error: `${field.name} must be a number`, field: field.name };
      if (field.kind === "int" && !Number.isInteger(value)) return { error: `${field.name} must be a whole number`, field: field.name };
      config[field.name] = value;
    }
    return { config };
  }

  function write(config) {
    for (const [name, value] of Object.entries(config)) {
      if (inputs.has(name)) inputs.get(name).value = String(value);
    }
  }

  // URL query parameters with known names fill the form; others are ignored.
  function readUrl(search = location.search) {
    const params = new URLSearchParams(search);
    const values = {};
    for (const field of CONFIG_FIELDS) if (params.has(field.name)) values[field.name] = params.get(field.name);
    write(values);
  }

  function writeUrl(config) {
    const defaults = defaultConfig();
    const params = new URLSearchParams();
    for (const field of CONFIG_FIELDS) {
      if (config[field.name] !== defaults[field.name]) params.set(field.name, String(config[field.name]));
    }
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function focus(name) {
    inputs.get(name)?.focus();
  }

  return { read, write, readUrl, writeUrl, focus };
}
