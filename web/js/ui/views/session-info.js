// The shown session's settings, so a learner sees at a glance what produced
// the run on screen: its data, vocabulary and size on one line, then every
// config field (those that differ from the defaults marked), and "Reuse
// these settings", which puts them in the form for a new session; and the
// command that trains the same run natively, to copy. A session saved before
// a field existed shows (and reuses) its default (draw/names.js withDefaults).
import { SESSION_STATUS } from "../../engine/protocol.js";
import { element } from "../../draw/dom.js";
import { withDefaults } from "../../draw/names.js";
import { vocabularyLine } from "../../draw/tokens.js";
import { datasetFile, datasetOf, datasetTitle } from "../../sessions/dataset-kind.js";

// The command line's flag of a config field (py/microgpt_lab/cli.py: FLAGS,
// then --field-name).
const flag = (name) => (name === "num_steps" ? "--steps" : `--${name.replace(/_/g, "-")}`);
// A field with its value on the command line: `--n-embd 8`; a switch is `--attention` or `--no-attention`.
const option = (field, value) => (field.type === "bool" ? flag(value ? field.name : `no_${field.name}`) : `${flag(field.name)} ${value}`);

// `python -m microgpt_lab train ...` for the session, word by word (each
// flag with its value): its data file and the fields that differ from the
// defaults (the same numbers, step for step).
function commandParts(record, fields) {
  const data = datasetFile(datasetOf(record));
  const quote = (text) => (/^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`);
  const parts = ["python -m microgpt_lab train", `--data ${quote(data)}`];
  for (const field of fields) {
    const value = record.config[field.name];
    if (value !== undefined && value !== field.default) parts.push(option(field, value));
  }
  return parts;
}

function createCommand() {
  const code = element("code", { id: "train-command" });
  const copy = element("button", { type: "button", className: "small", textContent: "Copy", "aria-label": "Copy the command" });
  const said = element("span", { className: "hint", "aria-live": "polite" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      said.textContent = "copied";
    } catch {
      getSelection().selectAllChildren(code); // no clipboard here: selected, to copy by hand
      said.textContent = "selected: copy it with your keys";
    }
  });
  // Hidden: no command before a session is shown.
  const box = element("div", { className: "train-command", hidden: true }, element("span", {}, "Reproduce it natively:"), code, copy, said);
  // Each word its own unbreakable span, so the command wraps between flags only.
  const show = (parts) => {
    code.replaceChildren();
    parts.forEach((part, i) => code.append(...(i ? [" "] : []), element("span", {}, part)));
    said.textContent = "";
  };
  return { box, show };
}

export function createSessionInfo(el, { fields, onCopy }) {
  const line = element("p", { className: "hint session-line" });
  const list = element("dl", { className: "session-config", "aria-label": "The shown session's settings" });
  const copy = element("button", { type: "button", id: "btn-copy-settings", textContent: "Reuse these settings", hidden: true });
  let shown = null;
  copy.addEventListener("click", () => shown && onCopy({ ...shown, config: withDefaults(shown.config, fields) }));
  const command = createCommand();
  el.append(line, list, copy, command.box);

  return {
    select({ record }) {
      shown = record;
      const parts = [datasetTitle(datasetOf(record)) || "dataset", `${(record.num_docs ?? 0).toLocaleString("en")} documents`];
      if (record.vocab) parts.push(`vocabulary ${record.vocab.length} + BOS: ${vocabularyLine(record.vocab)}`);
      if (record.num_params) parts.push(`${record.num_params.toLocaleString("en")} parameters`);
      if (record.status === SESSION_STATUS.IMPORTED) parts.push("read-only");
      line.textContent = parts.join(" · ");
      list.replaceChildren();
      const config = withDefaults(record.config, fields);
      for (const field of fields) {
        const value = config[field.name];
        const detail = element("dd", { dataset: { field: field.name } }, String(value));
        if (value !== field.default) {
          detail.className = "differs";
          detail.append(element("small", {}, ` (default ${field.default})`));
        }
        list.append(element("div", {}, element("dt", { textContent: field.label, title: field.name }), detail));
      }
      copy.hidden = false;
      command.box.hidden = record.status === SESSION_STATUS.IMPORTED; // its data is not here
      command.show(commandParts(record, fields));
    },
  };
}
