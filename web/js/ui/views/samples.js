// The samples: grouped by the model that drew them and how (step and
// temperature, said once per group), newest first; the groups of one step
// sit side by side, so temperatures compare at a glance. A name never
// breaks inside itself. The newest groups are shown whole (no scroll box
// cutting a row in half); older ones wait behind "Older samples".
// Hovering or focusing a name (the arrow keys go from name to name) says
// how likely each of its characters was when it was drawn (sample-probs.js).
import { element } from "../../draw/dom.js";
import { createFrame } from "../../draw/frame.js";
import { sampleProbabilities } from "./sample-probs.js";

const SHOWN_GROUPS = 4;
const MAX_OLDER_GROUPS = 40;

// A batch at the run's last step is the one microgpt prints after training
// (a run that reaches it draws it by itself: sessions/runs.js).
let runEnd = null;
const caption = ({ step, temperature }) => `step ${step}${step === runEnd ? " (the end of the run, where microgpt " +
  "prints its names)" : ""} · temperature ${temperature}`;
const HINT = "Hover or focus a name (the arrow keys go from name to name) to see how likely each of its " +
  "characters was when it was drawn.";

function group(batch, index) {
  const names = batch.samples.map((text) => element("li", { className: "sample" }, element("span", {
    className: "sample-text", textContent: text, title: text, tabIndex: -1, dataset: { batch: String(index) },
    "aria-describedby": "sample-readout",
  })));
  return element("section", { className: "sample-group", dataset: { step: String(batch.step), temperature: String(batch.temperature) } },
    element("h3", { className: "sample-heading", textContent: caption(batch) }),
    element("ul", { className: "sample-list", "aria-label": `Samples at ${caption(batch)}` }, ...names));
}

// The readout of one name, the latest asked winning.
function explainer(readout, current) {
  let asked = 0;
  return async (batch, text) => {
    const ticket = ++asked;
    const { model } = current();
    const head = `“${text}” (step ${batch.step}, temperature ${batch.temperature})`;
    if (!model || !model.ask) {
      readout.textContent = `${head}: ${model?.missing ?? "no model to ask"}`;
      return;
    }
    readout.textContent = `${head}: asking the model as it was then…`;
    try {
      const parts = await sampleProbabilities(model, batch, text);
      if (ticket !== asked) return;
      readout.textContent = `${head}: ${parts.map(({ char, p }) => `${char} ${p.toFixed(3)}`).join(" · ")}`;
    } catch (error) {
      if (ticket === asked) readout.textContent = `${head}: ${error.message}`;
    }
  };
}

// Hover or focus a name to explain it; the arrow keys move between names.
function listen(el, explain) {
  const names = () => [...el.querySelectorAll(".sample-text")].filter((name) => name.offsetParent);
  el.addEventListener("focusin", (event) => event.target.matches(".sample-text") && explain(event.target));
  el.addEventListener("mouseover", (event) => event.target.matches(".sample-text") && explain(event.target));
  el.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step || !event.target.matches(".sample-text")) return;
    event.preventDefault();
    const list = names();
    const next = list[Math.max(0, Math.min(list.length - 1, list.indexOf(event.target) + step))];
    for (const name of list) name.tabIndex = name === next ? 0 : -1;
    next.focus();
  });
}

export function create(el) {
  const shown = element("div", { className: "sample-groups", id: "samples" });
  const olderSummary = element("summary");
  const olderGroups = element("div", { className: "sample-groups" });
  const older = element("details", { className: "sample-older" }, olderSummary, olderGroups);
  const empty = element("p", { className: "hint" }, "Press Sample to draw names from the model.");
  const readout = element("p", { className: "hint sample-readout", id: "sample-readout", "aria-live": "polite" });
  el.append(shown, older, readout, empty);

  let batches = [];
  let newest = [];
  const asking = { model: null };
  const frame = createFrame(() => {
    newest = [...batches].reverse();
    shown.replaceChildren(...newest.slice(0, SHOWN_GROUPS).map(group));
    const rest = newest.slice(SHOWN_GROUPS, SHOWN_GROUPS + MAX_OLDER_GROUPS);
    olderSummary.textContent = `Older samples (${rest.length} group${rest.length === 1 ? "" : "s"})`;
    olderGroups.replaceChildren(...rest.map((batch, i) => group(batch, SHOWN_GROUPS + i)));
    older.hidden = !rest.length;
    empty.hidden = batches.length > 0;
    readout.hidden = !batches.length;
    const first = el.querySelector(".sample-text");
    if (first) first.tabIndex = 0; // one tab stop; the arrow keys do the rest
  });
  const explain = explainer(readout, () => asking);
  listen(el, (name) => explain(newest[Number(name.dataset.batch)], name.textContent));
  readout.textContent = HINT;

  return {
    reset({ samples, model, record }) {
      batches = samples.slice();
      runEnd = record?.num_steps ?? null;
      asking.model = model;
      readout.textContent = HINT;
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
