// The shown session's settings, so a learner sees at a glance what produced
// the run on screen: its data, vocabulary and size on one line, then every
// config field (those that differ from the defaults marked), and "Reuse
// these settings", which puts them in the form for a new session.
import { SESSION_STATUS } from "../../engine/protocol.js";

export function createSessionInfo(el, { fields, onCopy }) {
  const line = document.createElement("p");
  line.className = "hint session-line";
  const list = document.createElement("dl");
  list.className = "session-config";
  list.setAttribute("aria-label", "The shown session's settings");
  const copy = document.createElement("button");
  copy.type = "button";
  copy.id = "btn-copy-settings";
  copy.textContent = "Reuse these settings";
  copy.hidden = true;
  let shown = null;
  copy.addEventListener("click", () => shown && onCopy(shown));
  el.append(line, list, copy);

  return {
    select({ record }) {
      shown = record;
      const parts = [record.dataset_name || "dataset", `${(record.num_docs ?? 0).toLocaleString("en")} documents`];
      if (record.vocab) parts.push(`vocabulary ${record.vocab.length} + BOS: ${record.vocab.join("")}`);
      if (record.num_params) parts.push(`${record.num_params.toLocaleString("en")} parameters`);
      if (record.status === SESSION_STATUS.IMPORTED) parts.push("read-only");
      line.textContent = parts.join(" · ");
      list.replaceChildren();
      for (const field of fields) {
        const value = record.config[field.name];
        if (value === undefined) continue;
        const term = document.createElement("dt");
        term.textContent = field.label;
        term.title = field.name;
        const detail = document.createElement("dd");
        detail.dataset.field = field.name;
        detail.textContent = String(value);
        if (value !== field.default) {
          detail.className = "differs";
          detail.append(Object.assign(document.createElement("small"), { textContent: ` (default ${field.default})` }));
        }
        const pair = document.createElement("div");
        pair.append(term, detail);
        list.append(pair);
      }
      copy.hidden = false;
    },
  };
}
