// Chapter 7: the whole block. The four-head rung (microgpt trained by SGD)
// trained in place beside the one-head rung, and the lab's own "Follow a
// token" panel on it: one position of its last step through every stage,
// forward, backward and the update, with the code that ran (Session.explain).
import { element } from "../../draw/dom.js";
import * as follow from "../../panels/follow.js";
import { createRungChart } from "../rung-chart.js";
import { nearestChoice } from "./common.js";

export function create(ctx) {
  const { sessions, rungs, schema, explain, chapter } = ctx;
  const el = element("div", { className: "block-widget" });
  const chart = createRungChart(ctx, { keys: ["one-head", "four-heads"], own: "four-heads" });
  const panelEl = element("section", { className: "panel panel-follow" });
  panelEl.dataset.panel = "follow";
  panelEl.setAttribute("aria-label", "Follow a token");
  panelEl.append(element("h3", { textContent: "Follow a token through the four-head rung" }));
  const said = element("p", { className: "hint" });
  el.append(chart.el, panelEl);
  let panel = null;
  let model = null;
  let shownId = null;

  const read = () => {
    if (panel && model) panel.read(model);
  };
  panel = follow.create(panelEl, { schema, explain, requestRead: read });
  panelEl.append(said);

  // The panel follows the rung's session: its record, then its live model.
  async function attach() {
    const found = await rungs.find("four-heads");
    if (!found || found.step === 0) {
      said.textContent = "Train the rung (one step is enough) to follow a token through it.";
      return;
    }
    said.textContent = "";
    if (shownId !== found.id) {
      shownId = found.id;
      const [record, steps] = await Promise.all([sessions.record(found.id), sessions.steps(found.id)]);
      panel.reset({ session: found.id, record, steps });
    }
    model = await sessions.model(found.id);
    read();
  }
  attach();

  return {
    el,
    hear(message) {
      chart.hear(message);
      if (message.session === shownId && message.type === "event") {
        panel.show(message.event);
        read();
      }
      if (message.type === "status" || message.type === "list") attach();
    },
    async answer() {
      const found = await rungs.find("four-heads");
      const live = found && found.step > 0 ? await sessions.model(found.id) : null;
      if (!live || live.missing) return { waiting: "Train the rung a step or more: the answer is in its numbers." };
      const explained = await live.ask("explain", { position: 0 });
      const residual = explained.stages.find((stage) => stage.stage === "attn_residual");
      const width = residual.forward.length;
      return { value: nearestChoice(chapter.question.choices, width),
               text: `The engine: x is ${width} numbers (n_embd) at every stage of the block; only the MLP widens it `
                 + `for a moment, to ${explained.stages.find((stage) => stage.stage === "mlp_fc1").forward.length}.` };
    },
    destroy() {
      chart.destroy();
      panel.destroy();
    },
  };
}
