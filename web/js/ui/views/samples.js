// The samples list: each sample with the step it was drawn at (newest first).
import { createFrame } from "../../draw/frame.js";

const MAX_ROWS = 200;

export function create(el) {
  const list = document.createElement("ol");
  list.className = "sample-list";
  list.id = "samples";
  list.setAttribute("aria-labelledby", "samples-title");
  const empty = document.createElement("p");
  empty.className = "hint";
  empty.textContent = "Press Sample to draw names from the model.";
  el.append(list, empty);

  let batches = [];
  const frame = createFrame(() => {
    list.replaceChildren();
    let rows = 0;
    for (const batch of [...batches].reverse()) {
      for (const text of batch.samples) {
        if (rows++ >= MAX_ROWS) break;
        const item = document.createElement("li");
        item.className = "sample";
        item.dataset.step = String(batch.step);
        const name = document.createElement("span");
        name.className = "sample-text";
        name.textContent = text;
        const meta = document.createElement("span");
        meta.className = "sample-step";
        meta.textContent = `step ${batch.step} · T=${batch.temperature}`;
        item.append(name, meta);
        list.append(item);
      }
    }
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
