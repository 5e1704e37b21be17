// SCAFFOLD (dropped when h-panels merges): today's panels behind the new
// panel interface, so the rebuilt page can run the browser tests.
import * as attention from "./attention.js";
import * as compare from "./compare.js";
import * as consolePanel from "./console.js";
import * as embeddings from "./embeddings.js";
import * as graph from "./graph.js";
import * as inspector from "./inspector.js";
import * as loss from "./loss.js";
import * as probe from "./probe.js";
import * as probs from "./probs.js";

const OLD = [
  ["loss", loss, "Loss"],
  ["attention", attention, "Attention"],
  ["graph", graph, "Graph pulse"],
  ["probs", probs, "Next-token probabilities"],
  ["inspector", inspector, "Parameters and gradients"],
  ["embeddings", embeddings, "Embedding map"],
  ["probe", probe, "Probe a context"],
  ["console", consolePanel, "Python console"],
  ["compare", compare, "Compare runs"],
];

export const PANELS = OLD.map(([name, module, title]) => ({ name, title, create: (el, options) => adapt(name, module, el, options) }));

function adapt(name, module, el, { stored }) {
  let session = null;
  let model = null;
  let list = [];
  const ask = (type, fields) => (model && model.ask ? model.ask(type, fields) : Promise.resolve(null));
  const source = {
    inspectMatrix: (id, matrixName) => ask("matrix", { name: matrixName }),
    embeddingMap: () => ask("embedding_map", {}),
    probe: (id, context) => ask("next_token", { context }),
    runConsole: (id, code) => ask("console", { code }),
    listSessions: async () => list,
    steps: stored.steps,
    samples: stored.samples,
  };
  const view = module.create(el, { source });
  const adapter = {
    reset(v) {
      session = v.session;
      model = null;
      view.update({ type: "session", session: v.session, record: v.record, steps: v.steps, travel: v.travel, current: v.session });
    },
    show(event) {
      view.update({ type: "event", session, current: session, event });
    },
    read(handle) {
      model = handle;
      view.update({ type: "status", session, current: session });
    },
    resize: () => view.resize(),
    destroy: () => view.destroy(),
  };
  if (name === "compare") {
    delete adapter.show;
    delete adapter.read;
    adapter.all = (message) => view.update(message);
    adapter.list = (sessions) => {
      list = sessions;
      view.update({ type: "sessions" });
    };
  }
  return adapter;
}
