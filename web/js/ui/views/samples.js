// The samples: grouped by the model that drew them and how (step and
// temperature, said once per group), newest first; the groups of one step
// sit side by side, so temperatures compare at a glance. A name never
// breaks inside itself. The newest groups are shown whole (no scroll box
// cutting a row in half); older ones wait behind "Older samples".
import { createFrame } from "../../draw/frame.js";

const SHOWN_GROUPS = 4;
const MAX_OLDER_GROUPS = 40;

const caption = ({ step, temperature }) => `step ${step} · temperature ${temperature}`;

function group(batch) {
  const section = document.createElement("section");
  section.className = "sample-group";
  section.dataset.step = String(batch.step);
  section.dataset.temperature = String(batch.temperature);
  const heading = document.createElement("h3");
  heading.className = "sample-heading";
  heading.textContent = caption(batch);
  const list = document.createElement("ul");
  list.className = "sample-list";
  list.setAttribute("aria-label", `Samples at ${caption(batch)}`);
  for (const text of batch.samples) {
    const item = document.createElement("li");
    item.className = "sample";
    const name = document.createElement("span");
    name.className = "sample-text";
    name.textContent = text;
    name.title = text;
    item.append(name);
    list.append(item);
  }
  section.append(heading, list);
  return section;
}

export function create(el) {
  const shown = document.createElement("div");
  shown.className = "sample-groups";
  shown.id = "samples";
  const older = document.createElement("details");
  older.className = "sample-older";
  const olderSummary = document.createElement("summary");
  const olderGroups = Object.assign(document.createElement("div"), { className: "sample-groups" });
  older.append(olderSummary, olderGroups);
  const empty = document.createElement("p");
  empty.className = "hint";
  empty.textContent = "Press Sample to draw names from the model.";
  el.append(shown, older, empty);

  let batches = [];
  const frame = createFrame(() => {
    const newest = [...batches].reverse();
    shown.replaceChildren(...newest.slice(0, SHOWN_GROUPS).map(group));
    const rest = newest.slice(SHOWN_GROUPS, SHOWN_GROUPS + MAX_OLDER_GROUPS);
    olderSummary.textContent = `Older samples (${rest.length} group${rest.length === 1 ? "" : "s"})`;
    olderGroups.replaceChildren(...rest.map(group));
    older.hidden = !rest.length;
    empty.hidden = batches.length > 0;
  });

  return {
    reset({ samples }) {
      batches = samples.slice();
      frame.request();
    },
    sample(batch) {
      batches.push(batch);
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}
