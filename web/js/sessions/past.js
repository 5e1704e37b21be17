// Time travel's model: a session's weights as they were at `step`, rebuilt
// in this tab's worker as a scratch session from the latest checkpoint kept
// before it (store-schema.js, history; none: from the config's initial
// weights) plus the steps in between, which the deterministic engine
// recomputes exactly. The last of them is taken with full instrumentation,
// so that step's event (attention, probabilities, graph) comes with it, also
// for a step the run recorded lightly.
//
// One scratch model per tab; builds run one at a time, and one that is no
// longer wanted by the time its turn comes is skipped (null). Null too for
// an imported trace (no dataset, no checkpoints).
//
//   const past = createPast({ engine, store, bus });
//   await past.at(id, step)   -> {id: scratch session id, event} | null
//   past.leave()              the scratch model goes (after any build)
//   past.forget()             the worker was lost, and the model with it

import { LEVEL } from "../engine/protocol.js";
import { reopen } from "./reopen.js";

export function createPast({ engine, store, bus }) {
  const built = { id: null, key: null, event: null };
  let wanted = null;
  let chain = Promise.resolve(null);

  async function build(id, step) {
    const record = await store.getSession(id);
    const dataset = record && await store.getDataset(record.fingerprint);
    if (!dataset) return null;
    const scratch = `${id}@${step}`;
    const kept = await store.getCheckpointAt(id, step - 1);
    const summary = await reopen(engine, scratch, { checkpoint: kept?.checkpoint, config: record.config, text: dataset.text });
    if (step - 1 > summary.step) {
      await engine.call("run", { session: scratch, steps: step - 1 - summary.step, checkpoint_every: 0,
                                 full_every_ms: Infinity });
    }
    const event = await engine.call("step", { session: scratch, level: LEVEL.FULL });
    return { id: scratch, event };
  }

  async function close() {
    const { id } = built;
    Object.assign(built, { id: null, key: null, event: null });
    if (id) await engine.call("close", { session: id }).catch(() => {});
  }

  function at(id, step) {
    const key = `${id}:${step}`;
    wanted = key;
    chain = chain.then(async () => {
      if (built.key === key) return { id: built.id, event: built.event };
      if (wanted !== key) return null;
      await close();
      const model = await build(id, step);
      if (model) Object.assign(built, { ...model, key });
      return model;
    }).catch((error) => {
      bus.emit({ type: "error", session: id, error: `time travel: ${error.message}` });
      return null;
    });
    return chain;
  }

  return {
    at,
    leave() {
      wanted = null;
      chain = chain.then(close).then(() => null);
    },
    forget() {
      Object.assign(built, { id: null, key: null, event: null });
    },
  };
}
